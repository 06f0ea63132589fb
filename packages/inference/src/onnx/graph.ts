import type { AttributeValue, NodeSpec, TensorSpec, ValueInfoSpec } from './proto.js';
import { TensorDataType, encodeModel } from './proto.js';

export { TensorDataType };

/** Default opset of every graph we build (supported by onnxruntime >= 1.14). */
export const OPSET_VERSION = 17;

type Data = Float32Array | Int32Array | BigInt64Array | Uint8Array | Uint16Array | Float64Array;

function rawBytes(data: Data): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

export interface SerializeOptions {
  readonly metadata?: Readonly<Record<string, string>>;
  readonly docString?: string;
  /**
   * Store initializers of at least this many bytes outside the protobuf (ONNX external data), in a
   * file named `location` next to the model. Needed past protobuf's 2 GB limit (Wide-ResNet50 Rd550).
   */
  readonly externalData?: { readonly location: string; readonly minBytes: number };
  /** Version of the default ONNX domain the model imports; OPSET_VERSION by default. */
  readonly opsetVersion?: number;
  /**
   * Prefix of the generated node names (`${prefix}${opType}_${i}`), so that the nodes of this graph
   * cannot clash with another graph's when the two are merged (see detector/model.ts).
   */
  readonly nodeNamePrefix?: string;
}

export interface SerializedModel {
  readonly model: Uint8Array;
  /** The external data file's bytes (empty when everything is inline). */
  readonly externalData: Uint8Array;
}

/**
 * Builds an ONNX graph node by node. Every method returns the name of the value it produced, so
 * graphs read like the computation: `const y = g.op('Relu', [g.op('Conv', [x, w, b], attrs)])`.
 */
export class GraphBuilder {
  private readonly nodes: NodeSpec[] = [];
  private readonly initializers: { spec: TensorSpec; data: Uint8Array }[] = [];
  private readonly inputs: ValueInfoSpec[] = [];
  private readonly outputs: ValueInfoSpec[] = [];
  private readonly names = new Set<string>();
  private counter = 0;

  constructor(readonly name: string) {}

  /** A fresh value name with a readable prefix. */
  fresh(prefix: string): string {
    let name = `${prefix}_${this.counter++}`;
    while (this.names.has(name)) name = `${prefix}_${this.counter++}`;
    this.names.add(name);
    return name;
  }

  input(
    name: string,
    shape: readonly (number | string)[],
    elemType = TensorDataType.FLOAT,
  ): string {
    this.claim(name);
    this.inputs.push({ name, elemType, shape });
    return name;
  }

  /** Marks `value` as a graph output named `name` (through an Identity when the names differ). */
  output(
    value: string,
    name: string,
    shape: readonly (number | string)[],
    elemType = TensorDataType.FLOAT,
  ): string {
    if (value !== name) {
      this.claim(name);
      this.nodes.push({ opType: 'Identity', inputs: [value], outputs: [name] });
    }
    this.outputs.push({ name, elemType, shape });
    return name;
  }

  /** A constant tensor stored in the model. */
  initializer(
    name: string,
    data: Data,
    dims: readonly number[],
    dataType?: TensorDataType,
  ): string {
    const type = dataType ?? inferType(data);
    const expected = dims.reduce((a, b) => a * b, 1);
    if (data.length !== expected) {
      throw new Error(`initializer ${name}: ${data.length} elements for dims [${dims.join(', ')}]`);
    }
    const unique = this.names.has(name) ? this.fresh(name) : (this.claim(name), name);
    this.initializers.push({ spec: { name: unique, dataType: type, dims }, data: rawBytes(data) });
    return unique;
  }

  constFloat(
    values: readonly number[] | Float32Array,
    dims: readonly number[] = [values.length],
  ): string {
    return this.initializer(this.fresh('const_f'), Float32Array.from(values), dims);
  }

  constInt64(values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.initializer(
      this.fresh('const_i'),
      BigInt64Array.from(values, (v) => BigInt(v)),
      dims,
      TensorDataType.INT64,
    );
  }

  /** Adds a node with one output and returns the output's name. */
  op(
    opType: string,
    inputs: readonly string[],
    attributes?: Readonly<Record<string, AttributeValue>>,
    outputName?: string,
  ): string {
    const out = outputName ? this.claim(outputName) : this.fresh(opType.toLowerCase());
    this.nodes.push({ opType, inputs, outputs: [out], attributes });
    return out;
  }

  /** Adds a node with several outputs. */
  opN(
    opType: string,
    inputs: readonly string[],
    outputs: number,
    attributes?: Readonly<Record<string, AttributeValue>>,
  ): string[] {
    const outs = Array.from({ length: outputs }, () => this.fresh(opType.toLowerCase()));
    this.nodes.push({ opType, inputs, outputs: outs, attributes });
    return outs;
  }

  serialize(options: SerializeOptions = {}): SerializedModel {
    const external = options.externalData;
    const chunks: Uint8Array[] = [];
    let offset = 0;
    const initializers: TensorSpec[] = this.initializers.map(({ spec, data }) => {
      if (external && data.byteLength >= external.minBytes) {
        const pad = (64 - (offset % 64)) % 64; // keep tensors 64-byte aligned for mmap
        if (pad) chunks.push(new Uint8Array(pad));
        offset += pad;
        chunks.push(data);
        const entry = {
          ...spec,
          external: { location: external.location, offset, length: data.byteLength },
        };
        offset += data.byteLength;
        return entry;
      }
      return { ...spec, raw: data };
    });
    const model = encodeModel({
      graphName: this.name,
      nodes: options.nodeNamePrefix
        ? this.nodes.map((n, i) => ({
            ...n,
            name: n.name ?? `${options.nodeNamePrefix}${n.opType}_${i}`,
          }))
        : this.nodes,
      initializers,
      inputs: this.inputs,
      outputs: this.outputs,
      opsetVersion: options.opsetVersion ?? OPSET_VERSION,
      producerName: 'padim',
      producerVersion: '0.1.0',
      docString: options.docString,
      metadata: options.metadata,
    });
    const externalData = new Uint8Array(offset);
    let at = 0;
    for (const c of chunks) {
      externalData.set(c, at);
      at += c.byteLength;
    }
    return { model, externalData };
  }

  /** Total bytes of the initializers (the model's weights). */
  get weightBytes(): number {
    return this.initializers.reduce((s, i) => s + i.data.byteLength, 0);
  }

  private claim(name: string): string {
    if (this.names.has(name)) throw new Error(`graph ${this.name}: the name ${name} is taken`);
    this.names.add(name);
    return name;
  }
}

function inferType(data: Data): TensorDataType {
  if (data instanceof Float32Array) return TensorDataType.FLOAT;
  if (data instanceof Float64Array) return TensorDataType.DOUBLE;
  if (data instanceof Int32Array) return TensorDataType.INT32;
  if (data instanceof BigInt64Array) return TensorDataType.INT64;
  if (data instanceof Uint8Array) return TensorDataType.UINT8;
  return TensorDataType.FLOAT16; // Uint16Array holds float16 bits
}

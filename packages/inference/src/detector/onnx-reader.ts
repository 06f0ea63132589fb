import { PadimError, PadimErrorCode } from '@padim/core';

/**
 * Just enough protobuf reading to graft a graph onto an existing ONNX model without a protobuf
 * library: walk the fields of a message (varints and length-delimited payloads, skipping the rest)
 * and pick out the few ONNX fields we need. Field numbers follow onnx/onnx.proto.
 */

const MODEL_GRAPH = 7;
const MODEL_OPSET_IMPORT = 8;
const MODEL_IR_VERSION = 1;
const OPSET_DOMAIN = 1;
const OPSET_VERSION_FIELD = 2;
const GRAPH_NODE = 1;
const GRAPH_NAME = 2;
const GRAPH_INITIALIZER = 5;
const GRAPH_DOC_STRING = 10;
const GRAPH_INPUT = 11;
const GRAPH_OUTPUT = 12;
const NODE_OUTPUT = 2;
const VALUE_INFO_NAME = 1;
const VALUE_INFO_TYPE = 2;
const TYPE_TENSOR = 1;
const TENSOR_TYPE_SHAPE = 2;
const SHAPE_DIM = 1;
const DIM_PARAM = 2;
const TENSOR_NAME = 8;

/** One field of a message: `start..end` is its payload (wire type 2) and `from..end` the whole field. */
interface ProtoField {
  readonly field: number;
  readonly wire: number;
  /** The varint value (wire type 0); exact up to 2^53. */
  readonly value: number;
  readonly from: number;
  readonly start: number;
  readonly end: number;
}

function malformed(message: string): PadimError {
  return new PadimError(PadimErrorCode.MALFORMED_DATA, `ONNX model: ${message}`);
}

function readVarint(buf: Uint8Array, at: number, end: number): [value: number, next: number] {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (at >= end) throw malformed('truncated varint');
    const byte = buf[at++]!;
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if (byte < 0x80) return [value, at];
  }
  throw malformed('varint longer than 10 bytes');
}

/** The fields of the message in buf[start, end), in order (repeated fields appear repeatedly). */
function* fields(buf: Uint8Array, start = 0, end = buf.length): Generator<ProtoField> {
  let at = start;
  while (at < end) {
    const from = at;
    const [key, afterKey] = readVarint(buf, at, end);
    const field = Math.floor(key / 8);
    const wire = key % 8;
    let value = 0;
    let payload = afterKey;
    switch (wire) {
      case 0:
        [value, at] = readVarint(buf, afterKey, end);
        break;
      case 1:
        at = afterKey + 8;
        break;
      case 2: {
        const [length, next] = readVarint(buf, afterKey, end);
        payload = next;
        at = next + length;
        break;
      }
      case 5:
        at = afterKey + 4;
        break;
      default:
        throw malformed(`unsupported wire type ${wire} (field ${field})`);
    }
    if (field === 0 || at > end) throw malformed(`field ${field} runs past its message`);
    yield { field, wire, value, from, start: payload, end: at };
  }
}

const decoder = new TextDecoder();

function stringOf(buf: Uint8Array, f: ProtoField): string {
  return decoder.decode(buf.subarray(f.start, f.end));
}

/** The first embedded message or string `field` of the message f, or undefined. */
function child(buf: Uint8Array, f: ProtoField, field: number): ProtoField | undefined {
  for (const inner of fields(buf, f.start, f.end)) {
    if (inner.field === field && inner.wire === 2) return inner;
  }
  return undefined;
}

/** The string field `field` of the message f (e.g. a ValueInfoProto's name), or ''. */
function nestedString(buf: Uint8Array, f: ProtoField, field: number): string {
  const inner = child(buf, f, field);
  return inner ? stringOf(buf, inner) : '';
}

/** ValueInfoProto -> type.tensor_type.shape.dim[0].dim_param, if present. */
function firstDimParam(buf: Uint8Array, valueInfo: ProtoField): string | undefined {
  let f: ProtoField | undefined = valueInfo;
  for (const field of [VALUE_INFO_TYPE, TYPE_TENSOR, TENSOR_TYPE_SHAPE, SHAPE_DIM, DIM_PARAM]) {
    f = f && child(buf, f, field);
  }
  return f && stringOf(buf, f);
}

export interface OpsetImport {
  /** '' (or 'ai.onnx') is the default ONNX domain. */
  readonly domain: string;
  readonly version: number;
}

/** What appendHeadToModel needs to know about an existing model. */
export interface OnnxModelSummary {
  readonly irVersion: number;
  readonly opsetImports: readonly OpsetImport[];
  readonly graphInputs: readonly string[];
  /** The symbolic name of the first graph input's first dimension (its batch), if it has one. */
  readonly batchDimParam?: string;
  readonly graphOutputs: readonly string[];
  /** Every value name defined in the graph: inputs, initializers and node outputs. */
  readonly valueNames: ReadonlySet<string>;
}

/**
 * Reads the IR version, the opset imports and the value names of a serialized ModelProto. Several
 * occurrences of the graph field (a model already merged with a fragment) are read as one graph,
 * as protobuf merges them.
 */
export function readModelSummary(model: Uint8Array): OnnxModelSummary {
  let irVersion = 0;
  const opsetImports: OpsetImport[] = [];
  const graphInputs: string[] = [];
  let batchDimParam: string | undefined;
  const graphOutputs: string[] = [];
  const valueNames = new Set<string>();
  for (const f of fields(model)) {
    if (f.field === MODEL_IR_VERSION && f.wire === 0) irVersion = f.value;
    else if (f.field === MODEL_OPSET_IMPORT && f.wire === 2) {
      let domain = '';
      let version = 0;
      for (const inner of fields(model, f.start, f.end)) {
        if (inner.field === OPSET_DOMAIN && inner.wire === 2) domain = stringOf(model, inner);
        else if (inner.field === OPSET_VERSION_FIELD && inner.wire === 0) version = inner.value;
      }
      opsetImports.push({ domain, version });
    } else if (f.field === MODEL_GRAPH && f.wire === 2) {
      for (const g of fields(model, f.start, f.end)) {
        if (g.wire !== 2) continue;
        if (g.field === GRAPH_INPUT) {
          const name = nestedString(model, g, VALUE_INFO_NAME);
          if (!graphInputs.length) batchDimParam = firstDimParam(model, g);
          graphInputs.push(name);
          valueNames.add(name);
        } else if (g.field === GRAPH_OUTPUT) {
          graphOutputs.push(nestedString(model, g, VALUE_INFO_NAME));
        } else if (g.field === GRAPH_INITIALIZER) {
          valueNames.add(nestedString(model, g, TENSOR_NAME));
        } else if (g.field === GRAPH_NODE) {
          for (const n of fields(model, g.start, g.end)) {
            if (n.field === NODE_OUTPUT && n.wire === 2) valueNames.add(stringOf(model, n));
          }
        }
      }
    }
  }
  if (!opsetImports.length && !valueNames.size) throw malformed('no graph and no opset_import');
  return { irVersion, opsetImports, graphInputs, batchDimParam, graphOutputs, valueNames };
}

/** The version of the default domain ('' or 'ai.onnx') that a model imports, or undefined. */
export function defaultOpset(summary: OnnxModelSummary): number | undefined {
  const found = summary.opsetImports.filter((o) => o.domain === '' || o.domain === 'ai.onnx');
  return found.length ? Math.max(...found.map((o) => o.version)) : undefined;
}

function varintBytes(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

/**
 * Turns a serialized ModelProto into a fragment that holds only its graph's nodes, initializers,
 * outputs and value infos (no IR version, opset, graph name or graph inputs). Appended to another
 * serialized ModelProto, protobuf's merge rule (repeated fields append, embedded messages merge)
 * adds those to the other model's graph and leaves everything else of that model as it was.
 */
export function graphFragment(model: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const f of fields(model)) {
    if (f.field !== MODEL_GRAPH || f.wire !== 2) continue;
    for (const g of fields(model, f.start, f.end)) {
      if (g.field === GRAPH_NAME || g.field === GRAPH_INPUT || g.field === GRAPH_DOC_STRING)
        continue;
      parts.push(model.subarray(g.from, g.end));
    }
  }
  const length = parts.reduce((s, p) => s + p.byteLength, 0);
  const header = Uint8Array.from([(MODEL_GRAPH << 3) | 2, ...varintBytes(length)]);
  const out = new Uint8Array(header.byteLength + length);
  out.set(header, 0);
  let at = header.byteLength;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

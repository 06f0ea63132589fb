import { readFileSync } from 'node:fs';
import { createRng, decodeSafetensors } from '@padim/core';

export interface Golden {
  readonly metadata: Record<string, string>;
  readonly tensors: ReadonlyMap<string, { shape: readonly number[]; data: Float32Array }>;
}

/** test/fixtures/backbones/<arch>.safetensors, written by scripts/torchvision_golden.py. */
export function loadGolden(arch: string): Golden {
  const bytes = readFileSync(new URL(`../fixtures/backbones/${arch}.safetensors`, import.meta.url));
  const { metadata, tensors } = decodeSafetensors(new Uint8Array(bytes), { copy: true });
  const out = new Map<string, { shape: readonly number[]; data: Float32Array }>();
  for (const [name, t] of Object.entries(tensors)) {
    if (t.dtype !== 'F32') throw new Error(`${name}: ${t.dtype}`);
    out.set(name, { shape: t.shape, data: t.data });
  }
  return { metadata, tensors: out };
}

/** The golden script's inputs: seed 101 -> (u*2-1)*2; seed 102 -> (u1+u2+u3-1.5)*2. */
export function seededInput(index: 0 | 1, seeds: readonly number[], count: number): Float32Array {
  const rng = createRng(seeds[index] as number);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    if (index === 0) {
      out[i] = (rng.nextFloat() * 2 - 1) * 2;
    } else {
      const u1 = rng.nextFloat();
      const u2 = rng.nextFloat();
      const u3 = rng.nextFloat();
      out[i] = (u1 + u2 + u3 - 1.5) * 2;
    }
  }
  return out;
}

/** max |a - b| / max |b| and the worst element's absolute difference, for reports. */
export function relativeMaxError(
  actual: Float32Array,
  expected: Float32Array,
): { rel: number; maxAbsDiff: number; maxAbs: number } {
  let maxAbsDiff = 0;
  let maxAbs = 0;
  for (let i = 0; i < expected.length; i++) {
    maxAbsDiff = Math.max(maxAbsDiff, Math.abs((actual[i] as number) - (expected[i] as number)));
    maxAbs = Math.max(maxAbs, Math.abs(expected[i] as number));
  }
  return { rel: maxAbsDiff / maxAbs, maxAbsDiff, maxAbs };
}

// --- A minimal protobuf reader: just enough of onnx.proto to list a model's nodes and metadata ---

interface Field {
  readonly field: number;
  readonly wire: number;
  readonly value: bigint | Uint8Array;
}

function* fields(buf: Uint8Array): Generator<Field> {
  let at = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = buf[at++] as number;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (at < buf.length) {
    const tag = Number(varint());
    const field = tag >>> 3;
    const wire = tag & 7;
    if (wire === 0) {
      yield { field, wire, value: varint() };
    } else if (wire === 2) {
      const len = Number(varint());
      yield { field, wire, value: buf.subarray(at, at + len) };
      at += len;
    } else if (wire === 5) {
      yield { field, wire, value: buf.subarray(at, at + 4) };
      at += 4;
    } else if (wire === 1) {
      yield { field, wire, value: buf.subarray(at, at + 8) };
      at += 8;
    } else {
      throw new Error(`wire type ${wire}`);
    }
  }
}

function sub(buf: Uint8Array, field: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const f of fields(buf))
    if (f.field === field && f.value instanceof Uint8Array) out.push(f.value);
  return out;
}

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

/** op_type of every node of the model's graph, in order. */
export function nodeOpTypes(model: Uint8Array): string[] {
  const graph = sub(model, 7)[0] as Uint8Array; // ModelProto.graph
  return sub(graph, 1).map((node) => text(sub(node, 4)[0] as Uint8Array)); // NodeProto.op_type
}

/** ModelProto.metadata_props as a record. */
export function modelMetadata(model: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of sub(model, 14)) {
    out[text(sub(entry, 1)[0] as Uint8Array)] = text(sub(entry, 2)[0] ?? new Uint8Array());
  }
  return out;
}

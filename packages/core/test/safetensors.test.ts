import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PadimError, PadimErrorCode } from '../src/errors.js';
import { float16BitsToFloat32, float32ToFloat16Bits } from '../src/float16.js';
import {
  SAFETENSORS_MAX_HEADER_LENGTH,
  decodeSafetensors,
  decodeSafetensorsTensor,
  encodeSafetensors,
  readSafetensorsHeader,
  readSafetensorsHeaderLength,
  safetensorsDtypeSize,
  type SafetensorsArray,
  type SafetensorsDtype,
  type SafetensorsTensor,
} from '../src/safetensors.js';
import { loadFixture } from './helpers/fixtures.js';

// ---------------------------------------------------------------------------------------------
// Fixture: written by scripts/safetensors_golden.py (numpy), laid out as the reference writer does.

interface TensorSpec {
  dtype: SafetensorsDtype;
  shape: number[];
  bits?: (number | string)[];
  values?: (number | string | boolean)[];
}

interface ReferenceFixture {
  metadata: Record<string, string>;
  header_length: number;
  file_length: number;
  layout: string[];
  tensors: Record<string, TensorSpec>;
  f16_pairs: [string, string][];
  float16: { labels: string[]; f32_bits: number[]; f16_bits: number[]; f16_to_f32_bits: number[] };
}

const fixturePath = (name: string): string =>
  fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const reference = loadFixture<ReferenceFixture>('safetensors-reference.json');
const referenceBytes = new Uint8Array(
  readFileSync(fixturePath('safetensors-reference.safetensors')),
);

/** Builds the typed array a spec describes (bit patterns for floats, exact BigInts for 64-bit). */
function fromSpec(spec: TensorSpec): SafetensorsTensor {
  const { dtype, shape } = spec;
  const bits = spec.bits ?? [];
  const values = spec.values ?? [];
  switch (dtype) {
    case 'F64':
      return {
        dtype,
        shape,
        data: new Float64Array(BigUint64Array.from(bits, (b) => BigInt(b)).buffer),
      };
    case 'F32':
      return { dtype, shape, data: new Float32Array(Uint32Array.from(bits, Number).buffer) };
    case 'F16':
    case 'BF16':
      return { dtype, shape, data: Uint16Array.from(bits, Number) };
    case 'U16':
      return { dtype, shape, data: Uint16Array.from(values, Number) };
    case 'I64':
      return { dtype, shape, data: BigInt64Array.from(values, (v) => BigInt(v)) };
    case 'U64':
      return { dtype, shape, data: BigUint64Array.from(values, (v) => BigInt(v)) };
    case 'I32':
      return { dtype, shape, data: Int32Array.from(values, Number) };
    case 'U32':
      return { dtype, shape, data: Uint32Array.from(values, Number) };
    case 'I16':
      return { dtype, shape, data: Int16Array.from(values, Number) };
    case 'I8':
      return { dtype, shape, data: Int8Array.from(values, Number) };
    case 'U8':
      return { dtype, shape, data: Uint8Array.from(values, Number) };
    case 'BOOL':
      return { dtype, shape, data: Uint8Array.from(values, (v) => (v === true ? 1 : 0)) };
  }
}

function bytesOf(a: SafetensorsArray): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function referenceTensors(): Record<string, SafetensorsTensor> {
  return Object.fromEntries(
    Object.entries(reference.tensors).map(([name, spec]) => [name, fromSpec(spec)]),
  );
}

/** Assembles a file from a raw header string (padded as given) and a byte buffer. */
function rawFile(header: string, buffer: Uint8Array = new Uint8Array(0)): Uint8Array {
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.length + buffer.length);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  out.set(buffer, 8 + json.length);
  return out;
}

function entry(dtype: string, shape: unknown[], offsets: unknown[]): string {
  return JSON.stringify({ dtype, shape, data_offsets: offsets });
}

function expectError(fn: () => unknown, code: PadimErrorCode, message?: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected a PadimError').toBeInstanceOf(PadimError);
  expect((caught as PadimError).code).toBe(code);
  if (message) expect((caught as PadimError).message).toMatch(message);
}

const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));

// ---------------------------------------------------------------------------------------------

describe('safetensors: reference file written by numpy', () => {
  it('decodes every dtype, shape and value of the reference file', () => {
    const { metadata, tensors } = decodeSafetensors(referenceBytes);
    expect(metadata).toEqual(reference.metadata);
    expect(Object.keys(tensors).sort()).toEqual(Object.keys(reference.tensors).sort());
    for (const [name, spec] of Object.entries(reference.tensors)) {
      const t = tensors[name]!;
      const want = fromSpec(spec);
      expect(t.dtype, name).toBe(spec.dtype);
      expect(t.shape, name).toEqual(spec.shape);
      expect(t.data.constructor, name).toBe(want.data.constructor);
      expect(bytesOf(t.data), name).toEqual(bytesOf(want.data));
    }
  });

  it('reads exact 64-bit integers, a scalar, an empty tensor, and BOOL', () => {
    const { tensors } = decodeSafetensors(referenceBytes);
    expect(tensors['i64']!.data).toEqual(
      BigInt64Array.from([-(2n ** 63n), 2n ** 63n - 1n, 2n ** 53n + 1n, -1n]),
    );
    expect(tensors['u64']!.data).toEqual(BigUint64Array.from([2n ** 64n - 1n, 0n]));
    expect(tensors['scalar']).toEqual({ dtype: 'F32', shape: [], data: Float32Array.from([42.5]) });
    expect(tensors['empty']).toEqual({ dtype: 'F32', shape: [0, 4], data: new Float32Array(0) });
    expect(tensors['flags']).toEqual({
      dtype: 'BOOL',
      shape: [3],
      data: Uint8Array.from([1, 0, 1]),
    });
    expect(Array.from(tensors['mean']!.data as Float32Array)).toEqual([
      0.5,
      -1.25,
      Math.fround(3e-5),
      Math.fround(1e30),
      -0,
      7,
    ]);
  });

  it('parses the header alone: sizes, layout order, metadata', () => {
    const header = readSafetensorsHeader(referenceBytes);
    expect(header.headerLength).toBe(reference.header_length);
    expect(header.dataStart).toBe(8 + reference.header_length);
    expect(header.dataStart % 8).toBe(0);
    expect(header.fileLength).toBe(reference.file_length);
    expect(header.names).toEqual(reference.layout);
    expect(header.metadata).toEqual(reference.metadata);
    expect(header.tensors['mean']).toEqual({
      dtype: 'F32',
      shape: [2, 3],
      dataOffsets: expect.any(Array),
    });
  });

  it('encodes the same tensors and metadata byte for byte like the reference writer', () => {
    const bytes = encodeSafetensors(referenceTensors(), reference.metadata);
    expect(bytes.length).toBe(referenceBytes.length);
    expect(bytes).toEqual(referenceBytes);
  });

  it('reads a large file piecewise: length prefix, then header, then one byte range', () => {
    const prefixLength = readSafetensorsHeaderLength(referenceBytes.subarray(0, 8));
    expect(prefixLength).toBe(8 + reference.header_length);
    const header = readSafetensorsHeader(referenceBytes.slice(0, prefixLength)); // no tensor bytes
    const e = header.tensors['edges_f16']!;
    const range = referenceBytes.slice(
      header.dataStart + e.dataOffsets[0],
      header.dataStart + e.dataOffsets[1],
    );
    const t = decodeSafetensorsTensor(e, range);
    expect(t.dtype).toBe('F16');
    expect(Array.from(t.data as Uint16Array)).toEqual(reference.float16.f16_bits);
    expectError(() => decodeSafetensorsTensor(e, range.subarray(1)), PadimErrorCode.MALFORMED_DATA);
  });
});

describe('safetensors: encode/decode', () => {
  const sample = (): Record<string, SafetensorsTensor> => ({
    'layer.weight': { dtype: 'F32', shape: [2, 2], data: Float32Array.from([1, 2, 3, 4]) },
    ids: { dtype: 'U8', shape: [3], data: Uint8Array.from([1, 2, 3]) },
    big: { dtype: 'I64', shape: [1], data: BigInt64Array.from([-(2n ** 62n) - 7n]) },
    h: { dtype: 'F16', shape: [1], data: Uint16Array.from([0x3c00]) },
  });

  it('round-trips and lays tensors out by alignment, then name, with an 8-aligned buffer', () => {
    const bytes = encodeSafetensors(sample(), { b: '2', a: '1' });
    const header = readSafetensorsHeader(bytes);
    expect(header.names).toEqual(['big', 'layer.weight', 'h', 'ids']);
    expect(header.dataStart % 8).toBe(0);
    const json = new TextDecoder().decode(bytes.subarray(8, header.dataStart));
    expect(json.startsWith('{"__metadata__":{"a":"1","b":"2"},"big":{"dtype":"I64"')).toBe(true);
    expect(json.trimEnd().length).toBeGreaterThan(header.headerLength - 8);
    const { metadata, tensors } = decodeSafetensors(bytes);
    expect(metadata).toEqual({ a: '1', b: '2' });
    expect(tensors).toEqual(sample());
  });

  it('is deterministic regardless of key insertion order', () => {
    const s = sample();
    const reversed = Object.fromEntries(Object.entries(s).reverse());
    expect(encodeSafetensors(reversed, { y: '1', x: '2' })).toEqual(
      encodeSafetensors(s, { x: '2', y: '1' }),
    );
  });

  it('matches the reference crate known answers (empty file, metadata only, forced alignment)', () => {
    // Byte strings from the reference crate's own serialisation tests.
    expect(Array.from(encodeSafetensors({}))).toEqual([
      8,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      ...ascii('{}      '),
    ]);
    expect(Array.from(encodeSafetensors({}, { framework: 'pt' }))).toEqual([
      40,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      ...ascii('{"__metadata__":{"framework":"pt"}}     '),
    ]);
    const out = encodeSafetensors({
      attn0: { dtype: 'F32', shape: [1, 1, 2, 3], data: Float32Array.from([0, 1, 2, 3, 4, 5]) },
    });
    const json = '{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}';
    expect(Array.from(out.subarray(0, 80))).toEqual([
      72,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      ...ascii(json.padEnd(72)),
    ]);
    expect(Array.from(out.subarray(80, 88))).toEqual([0, 0, 0, 0, 0, 0, 128, 63]);
  });

  it('returns zero-copy views when aligned, copies when unaligned or asked to', () => {
    const bytes = encodeSafetensors(sample());
    const views = decodeSafetensors(bytes).tensors;
    for (const t of Object.values(views)) expect(t.data.buffer).toBe(bytes.buffer);

    const copies = decodeSafetensors(bytes, { copy: true }).tensors;
    for (const t of Object.values(copies)) expect(t.data.buffer).not.toBe(bytes.buffer);
    expect(copies).toEqual(views);

    // The same file one byte into a larger buffer: every multi-byte tensor is unaligned.
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const fromShifted = decodeSafetensors(shifted.subarray(1)).tensors;
    expect(fromShifted).toEqual(views);
    expect(fromShifted['layer.weight']!.data.buffer).not.toBe(shifted.buffer);
    expect(fromShifted['ids']!.data.buffer).toBe(shifted.buffer); // bytes are always aligned
  });

  it('handles integer-like, unicode and __proto__ names without reordering or pollution', () => {
    const t = (v: number): SafetensorsTensor => ({
      dtype: 'U8',
      shape: [1],
      data: Uint8Array.from([v]),
    });
    const input: Record<string, SafetensorsTensor> = { b: t(1), '10': t(2), '2': t(3), é: t(4) };
    Object.defineProperty(input, '__proto__', { value: t(5), enumerable: true });
    const bytes = encodeSafetensors(
      input,
      JSON.parse('{"__proto__":"x"}') as Record<string, string>,
    );
    expect(readSafetensorsHeader(bytes).names).toEqual(['10', '2', '__proto__', 'b', 'é']);
    const { metadata, tensors } = decodeSafetensors(bytes);
    expect(Object.getPrototypeOf(tensors)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(metadata)).toBe(Object.prototype);
    expect(Object.hasOwn(tensors, '__proto__')).toBe(true);
    expect(Object.hasOwn(metadata, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });

  it('does not mutate its inputs', () => {
    const s = sample();
    const before = JSON.stringify(
      Object.entries(s).map(([k, v]) => [k, v.shape, Array.from(bytesOf(v.data))]),
    );
    const meta = { z: '1', a: '2' };
    encodeSafetensors(s, meta);
    expect(
      JSON.stringify(Object.entries(s).map(([k, v]) => [k, v.shape, Array.from(bytesOf(v.data))])),
    ).toBe(before);
    expect(Object.keys(meta)).toEqual(['z', 'a']);
    const bytes = encodeSafetensors(s);
    const copy = bytes.slice();
    decodeSafetensors(bytes);
    expect(bytes).toEqual(copy);
  });

  it('knows every dtype size', () => {
    expect(safetensorsDtypeSize('F64')).toBe(8);
    expect(safetensorsDtypeSize('BF16')).toBe(2);
    expect(safetensorsDtypeSize('BOOL')).toBe(1);
  });
});

describe('safetensors: encode rejects bad arguments', () => {
  const f32 = (shape: number[], n: number): SafetensorsTensor => ({
    dtype: 'F32',
    shape,
    data: new Float32Array(n),
  });

  it('rejects a tensor named __metadata__', () => {
    expectError(
      () => encodeSafetensors({ __metadata__: f32([1], 1) }),
      PadimErrorCode.INVALID_ARGUMENT,
      /__metadata__/,
    );
  });
  it('rejects an element count that differs from the shape', () => {
    expectError(
      () => encodeSafetensors({ a: f32([2, 3], 5) }),
      PadimErrorCode.SHAPE_MISMATCH,
      /needs 6 elements/,
    );
  });
  it('rejects negative, fractional and non-numeric dimensions', () => {
    expectError(() => encodeSafetensors({ a: f32([-1], 0) }), PadimErrorCode.INVALID_ARGUMENT);
    expectError(() => encodeSafetensors({ a: f32([1.5], 1) }), PadimErrorCode.INVALID_ARGUMENT);
    const bad = {
      dtype: 'F32',
      shape: ['2'],
      data: new Float32Array(2),
    } as unknown as SafetensorsTensor;
    expectError(() => encodeSafetensors({ a: bad }), PadimErrorCode.INVALID_ARGUMENT);
  });
  it('rejects an array type that does not match the dtype, and unknown dtypes', () => {
    const wrong = {
      dtype: 'F64',
      shape: [1],
      data: new Float32Array(1),
    } as unknown as SafetensorsTensor;
    expectError(
      () => encodeSafetensors({ a: wrong }),
      PadimErrorCode.INVALID_ARGUMENT,
      /Float64Array/,
    );
    const i64 = { dtype: 'I64', shape: [1], data: [1] } as unknown as SafetensorsTensor;
    expectError(
      () => encodeSafetensors({ a: i64 }),
      PadimErrorCode.INVALID_ARGUMENT,
      /BigInt64Array/,
    );
    const unknown = {
      dtype: 'F8_E4M3',
      shape: [1],
      data: new Uint8Array(1),
    } as unknown as SafetensorsTensor;
    expectError(
      () => encodeSafetensors({ a: unknown }),
      PadimErrorCode.INVALID_ARGUMENT,
      /F8_E4M3/,
    );
  });
  it('rejects BOOL bytes other than 0 and 1', () => {
    const flags: SafetensorsTensor = { dtype: 'BOOL', shape: [2], data: Uint8Array.from([1, 2]) };
    expectError(() => encodeSafetensors({ flags }), PadimErrorCode.INVALID_ARGUMENT, /element 1/);
  });
  it('rejects non-string metadata values and lone surrogates', () => {
    const meta = { n: 3 } as unknown as Record<string, string>;
    expectError(
      () => encodeSafetensors({}, meta),
      PadimErrorCode.INVALID_ARGUMENT,
      /must be a string/,
    );
    expectError(
      () => encodeSafetensors({ ['a\uD800']: f32([1], 1) }),
      PadimErrorCode.INVALID_ARGUMENT,
      /surrogate/,
    );
    expectError(
      () => encodeSafetensors({}, { k: '\uDC00' }),
      PadimErrorCode.INVALID_ARGUMENT,
      /surrogate/,
    );
  });
});

describe('safetensors: decode rejects malformed files', () => {
  const M = PadimErrorCode.MALFORMED_DATA;
  const ok = rawFile(`{"a":${entry('F32', [2], [0, 8])}}`, new Uint8Array(8));

  it('accepts the well-formed baseline', () => {
    expect(decodeSafetensors(ok).tensors['a']!.data).toEqual(new Float32Array(2));
  });
  it('rejects input shorter than the length prefix', () => {
    expectError(() => decodeSafetensors(new Uint8Array(0)), M, /truncated/);
    expectError(() => decodeSafetensors(ok.subarray(0, 7)), M, /truncated/);
  });
  it('rejects a header length larger than the input', () => {
    expectError(() => decodeSafetensors(ok.subarray(0, 20)), M, /truncated/);
  });
  it('rejects an absurd header length (> 100 MB, or beyond 32 bits)', () => {
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setUint32(0, SAFETENSORS_MAX_HEADER_LENGTH + 1, true);
    expectError(() => decodeSafetensors(huge), M, /exceeds/);
    const high = new Uint8Array(16);
    new DataView(high.buffer).setUint32(4, 1, true);
    expectError(() => readSafetensorsHeaderLength(high), M, /4294967296/);
  });
  it('rejects invalid UTF-8, invalid JSON and non-object headers', () => {
    const bad = rawFile('{"a":1}');
    bad[10] = 0xff;
    expectError(() => decodeSafetensors(bad), M, /UTF-8/);
    expectError(() => decodeSafetensors(rawFile('{"a":')), M, /JSON/);
    expectError(() => decodeSafetensors(rawFile('[1, 2]  ')), M, /start with/);
    expectError(() => decodeSafetensors(rawFile(' {}')), M, /start with/);
    expectError(() => decodeSafetensors(rawFile('{"a":[1]}')), M, /entry must be an object/);
  });
  it('rejects unknown dtypes as UNSUPPORTED_FORMAT, non-string dtypes as MALFORMED_DATA', () => {
    const u = PadimErrorCode.UNSUPPORTED_FORMAT;
    expectError(
      () => decodeSafetensors(rawFile(`{"a":${entry('F8_E4M3', [1], [0, 1])}}`, new Uint8Array(1))),
      u,
    );
    expectError(
      () => decodeSafetensors(rawFile(`{"a":${entry('Q4', [1], [0, 1])}}`, new Uint8Array(1))),
      u,
    );
    expectError(
      () =>
        decodeSafetensors(
          rawFile(`{"a":{"dtype":4,"shape":[1],"data_offsets":[0,4]}}`, new Uint8Array(4)),
        ),
      M,
    );
  });
  it('rejects a byte length that is not product(shape) * itemsize', () => {
    expectError(
      () => decodeSafetensors(rawFile(`{"a":${entry('F32', [3], [0, 8])}}`, new Uint8Array(8))),
      M,
      /needs 12/,
    );
    expectError(
      () =>
        decodeSafetensors(rawFile(`{"a":${entry('F64', [2, 2], [0, 16])}}`, new Uint8Array(16))),
      M,
      /needs 32/,
    );
  });
  it('rejects bad shapes and offsets', () => {
    const file = (shape: unknown[], offsets: unknown[], n: number): Uint8Array =>
      rawFile(`{"a":${entry('U8', shape, offsets)}}`, new Uint8Array(n));
    expectError(() => decodeSafetensors(file([-1], [0, 0], 0)), M, /shape/);
    expectError(() => decodeSafetensors(file([1.5], [0, 1], 1)), M, /shape/);
    expectError(() => decodeSafetensors(file([2], [2, 0], 2)), M, /begin <= end/);
    expectError(() => decodeSafetensors(file([2], [-2, 0], 2)), M, /begin <= end/);
    expectError(() => decodeSafetensors(file([2], [0, 2, 4], 2)), M, /\[begin, end\]/);
    expectError(() => decodeSafetensors(file([1], [0.5, 1.5], 2)), M);
    expectError(
      () => decodeSafetensors(rawFile('{"a":{"dtype":"U8","shape":[1]}}')),
      M,
      /data_offsets/,
    );
  });
  it('rejects overlapping offsets', () => {
    const h = `{"a":${entry('U8', [4], [0, 4])},"b":${entry('U8', [4], [2, 6])}}`;
    expectError(() => decodeSafetensors(rawFile(h, new Uint8Array(6))), M, /overlaps/);
    const same = `{"a":${entry('U8', [4], [0, 4])},"b":${entry('U8', [4], [0, 4])}}`;
    expectError(() => decodeSafetensors(rawFile(same, new Uint8Array(4))), M, /overlaps/);
  });
  it('rejects gaps between tensors and before the first one', () => {
    const h = `{"a":${entry('U8', [4], [0, 4])},"b":${entry('U8', [4], [5, 9])}}`;
    expectError(() => decodeSafetensors(rawFile(h, new Uint8Array(9))), M, /gap of 1 bytes/);
    expectError(
      () => decodeSafetensors(rawFile(`{"a":${entry('U8', [4], [4, 8])}}`, new Uint8Array(8))),
      M,
      /gap/,
    );
  });
  it('rejects offsets out of range and bytes after the last tensor', () => {
    const h = `{"a":${entry('F32', [4], [0, 16])}}`;
    expectError(() => decodeSafetensors(rawFile(h, new Uint8Array(12))), M, /out of range/);
    expect(readSafetensorsHeader(rawFile(h, new Uint8Array(12))).fileLength).toBe(
      8 + h.length + 16,
    );
    expectError(
      () => decodeSafetensors(rawFile(h, new Uint8Array(17))),
      M,
      /1 bytes after the last tensor/,
    );
  });
  it('accepts tensors listed in any order and zero-size tensors', () => {
    const h = `{"b":${entry('U8', [2], [4, 6])},"z":${entry('F32', [0], [4, 4])},"a":${entry('F32', [1], [0, 4])}}`;
    const { tensors } = decodeSafetensors(rawFile(h, Uint8Array.from([0, 0, 128, 63, 7, 8])));
    expect(tensors['a']!.data).toEqual(Float32Array.from([1]));
    expect(tensors['b']!.data).toEqual(Uint8Array.from([7, 8]));
    expect(tensors['z']!.data).toEqual(new Float32Array(0));
  });
  it('rejects non-string metadata values and a non-object __metadata__', () => {
    expectError(
      () => decodeSafetensors(rawFile('{"__metadata__":{"a":1}}')),
      M,
      /must be a string/,
    );
    expectError(
      () => decodeSafetensors(rawFile('{"__metadata__":{"a":{"b":"c"}}}')),
      M,
      /must be a string/,
    );
    expectError(() => decodeSafetensors(rawFile('{"__metadata__":"x"}')), M, /must be an object/);
    expect(decodeSafetensors(rawFile('{"__metadata__":null}')).metadata).toEqual({});
  });
  it('rejects a tensor named __metadata__', () => {
    const h = `{"__metadata__":${entry('U8', [1], [0, 1])}}`;
    expectError(
      () => decodeSafetensors(rawFile(h, new Uint8Array(1))),
      M,
      /tensor cannot be named __metadata__/,
    );
  });
  it('rejects BOOL bytes other than 0 and 1', () => {
    const h = `{"f":${entry('BOOL', [2], [0, 2])}}`;
    expectError(() => decodeSafetensors(rawFile(h, Uint8Array.from([1, 3]))), M, /BOOL element 1/);
  });
  it('rejects shapes whose byte size overflows', () => {
    const h = `{"a":${entry('F64', [2 ** 26, 2 ** 26, 2 ** 2], [0, 0])}}`;
    expectError(() => decodeSafetensors(rawFile(h)), M, /overflows/);
  });
});

// ---------------------------------------------------------------------------------------------
// float16

/** Independent reference: the value of a finite half from its fields. */
function halfValue(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const mant = h & 0x3ff;
  return exp === 0 ? sign * mant * 2 ** -24 : sign * (1024 + mant) * 2 ** (exp - 25);
}

function f32FromBits(bits: number): number {
  return new Float32Array(Uint32Array.from([bits]).buffer)[0]!;
}

function toHalf(x: number): number {
  return float32ToFloat16Bits(Float32Array.from([x]))[0]!;
}

describe('float16', () => {
  it('matches numpy astype(float16) on the edge values', () => {
    const { labels, f32_bits, f16_bits, f16_to_f32_bits } = reference.float16;
    const src = new Float32Array(Uint32Array.from(f32_bits).buffer);
    const half = float32ToFloat16Bits(src);
    labels.forEach((label, i) => expect(half[i], label).toBe(f16_bits[i]));
    const back = new Uint32Array(float16BitsToFloat32(Uint16Array.from(f16_bits)).buffer);
    labels.forEach((label, i) => expect(back[i], label).toBe(f16_to_f32_bits[i]));
  });

  it('handles the named edge cases', () => {
    expect(toHalf(65504)).toBe(0x7bff);
    expect(toHalf(65519)).toBe(0x7bff);
    expect(toHalf(65520)).toBe(0x7c00);
    expect(toHalf(-65520)).toBe(0xfc00);
    expect(toHalf(Infinity)).toBe(0x7c00);
    expect(toHalf(6e-8)).toBe(0x0001);
    expect(toHalf(2 ** -25)).toBe(0x0000);
    expect(toHalf(-(2 ** -25))).toBe(0x8000);
    expect(toHalf(3 * 2 ** -25)).toBe(0x0002);
    expect(toHalf(-0)).toBe(0x8000);
    expect(toHalf(1 + 2 ** -11)).toBe(0x3c00);
    expect(toHalf(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(toHalf(NaN)).toBe(0x7e00);
    expect(Object.is(float16BitsToFloat32(Uint16Array.from([0x8000]))[0], -0)).toBe(true);
    expect(float16BitsToFloat32(Uint16Array.from([0x0001]))[0]).toBe(2 ** -24);
    expect(float16BitsToFloat32(Uint16Array.from([0x7bff, 0xfc00]))).toEqual(
      Float32Array.from([65504, -Infinity]),
    );
  });

  it('keeps NaN a NaN with its sign and top payload bits', () => {
    const bits = Uint32Array.from([0x7fc00000, 0xffc00000, 0x7f800001, 0x7fa00000, 0xff802000]);
    const half = float32ToFloat16Bits(new Float32Array(bits.buffer));
    expect(Array.from(half)).toEqual([0x7e00, 0xfe00, 0x7e00, 0x7d00, 0xfc01]);
    const back = new Uint32Array(float16BitsToFloat32(Uint16Array.from([0x7d00, 0xfc01])).buffer);
    expect(Array.from(back)).toEqual([0x7fa00000, 0xff802000]);
  });

  it('decodes all 65536 halves exactly and round-trips them bit for bit', () => {
    const all = Uint16Array.from({ length: 65536 }, (_, i) => i);
    const wide = float16BitsToFloat32(all);
    for (let h = 0; h < 65536; h++) {
      const exp = (h >> 10) & 0x1f;
      if (exp === 0x1f) {
        if ((h & 0x3ff) === 0) expect(wide[h]).toBe(h & 0x8000 ? -Infinity : Infinity);
        else expect(Number.isNaN(wide[h])).toBe(true);
      } else if (!Object.is(wide[h], halfValue(h))) {
        expect(wide[h], `half 0x${h.toString(16)}`).toBe(halfValue(h));
      }
    }
    expect(float32ToFloat16Bits(wide)).toEqual(all);
  });

  it('rounds every halfway point to even and its float32 neighbours to the nearest half', () => {
    const failures: string[] = [];
    for (let h = 0; h < 0x7bff; h++) {
      const lo = halfValue(h);
      const hi = halfValue(h + 1);
      const mid = (lo + hi) / 2; // 12 significant bits: exact in float32
      expect(Math.fround(mid)).toBe(mid);
      const even = h % 2 === 0 ? h : h + 1;
      const below = new Float32Array(
        Uint32Array.from([new Uint32Array(Float32Array.from([mid]).buffer)[0]! - 1]).buffer,
      );
      const above = new Float32Array(
        Uint32Array.from([new Uint32Array(Float32Array.from([mid]).buffer)[0]! + 1]).buffer,
      );
      const got = [toHalf(mid), toHalf(-mid), toHalf(below[0]!), toHalf(above[0]!)];
      const want = [even, even | 0x8000, h, h + 1];
      if (got.some((g, i) => g !== want[i]))
        failures.push(`0x${h.toString(16)}: ${got} != ${want}`);
    }
    expect(failures.slice(0, 5)).toEqual([]);
    expect(toHalf(f32FromBits(0x477fefff))).toBe(0x7bff); // just below 65520
  });

  it('does not mutate its input', () => {
    const src = Float32Array.from([1.1, NaN, -3]);
    const copy = src.slice();
    float32ToFloat16Bits(src);
    expect(src).toEqual(copy);
    const sub = new Float32Array(Float32Array.from([9, 1, 2]).buffer, 4, 2);
    expect(Array.from(float32ToFloat16Bits(sub))).toEqual([0x3c00, 0x4000]);
  });
});

// ---------------------------------------------------------------------------------------------
// Interop: numpy verifies a file written by the TS encoder.

const PYTHON = '/usr/bin/python3';
const hasNumpy = spawnSync(PYTHON, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;
const goldenScript = fileURLToPath(new URL('../scripts/safetensors_golden.py', import.meta.url));

/** Random float32 bit patterns spanning the whole float16 range (and beyond), no NaN payloads. */
function randomF32(n: number, seed: number): Float32Array {
  const bits = new Uint32Array(n);
  let s = seed >>> 0;
  const next = (): number => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
  for (let i = 0; i < n; i++) {
    const exp = 95 + (next() % 52); // 2^-32 .. 2^19
    bits[i] = ((next() & 0x80000000) | (exp << 23) | (next() >>> 9)) >>> 0;
  }
  return new Float32Array(bits.buffer);
}

function toSpec(t: SafetensorsTensor): TensorSpec {
  const { dtype, shape } = t;
  switch (t.dtype) {
    case 'F64':
      return {
        dtype,
        shape: [...shape],
        bits: Array.from(new BigUint64Array(t.data.slice().buffer), String),
      };
    case 'F32':
      return { dtype, shape: [...shape], bits: Array.from(new Uint32Array(t.data.slice().buffer)) };
    case 'F16':
    case 'BF16':
      return { dtype, shape: [...shape], bits: Array.from(t.data) };
    case 'I64':
    case 'U64':
      return { dtype, shape: [...shape], values: Array.from(t.data, String) };
    case 'BOOL':
      return { dtype, shape: [...shape], values: Array.from(t.data, (v) => v === 1) };
    default:
      return { dtype, shape: [...shape], values: Array.from(t.data) };
  }
}

describe('safetensors: numpy reads what the TS encoder writes', () => {
  const reason = hasNumpy ? '' : ` (skipped: ${PYTHON} with numpy is not available)`;

  it.skipIf(!hasNumpy)(
    `verify mode of scripts/safetensors_golden.py accepts the file${reason}`,
    () => {
      const src = randomF32(4096, 20201117);
      const tensors: Record<string, SafetensorsTensor> = {
        ...referenceTensors(),
        random_f32: { dtype: 'F32', shape: [64, 64], data: src },
        random_f16: { dtype: 'F16', shape: [64, 64], data: float32ToFloat16Bits(src) },
        edges_f16: {
          dtype: 'F16',
          shape: [reference.float16.f32_bits.length],
          data: float32ToFloat16Bits(referenceTensors()['edges_f32']!.data as Float32Array),
        },
      };
      const metadata = { producer: '@padim/core', ünï: 'côdé ✓', empty: '' };
      const expected = {
        metadata,
        tensors: Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, toSpec(t)])),
        f16_pairs: [
          ['random_f32', 'random_f16'],
          ['edges_f32', 'edges_f16'],
        ],
      };
      const dir = mkdtempSync(join(tmpdir(), 'padim-safetensors-'));
      try {
        const file = join(dir, 'ts-written.safetensors');
        const expectedPath = join(dir, 'expected.json');
        writeFileSync(file, encodeSafetensors(tensors, metadata));
        writeFileSync(expectedPath, JSON.stringify(expected));
        const run = spawnSync(PYTHON, [goldenScript, 'verify', file, expectedPath], {
          encoding: 'utf8',
        });
        expect(run.stdout + run.stderr).toMatch(/^OK: /);
        expect(run.status).toBe(0);

        // The check has teeth: one flipped half bit is reported.
        const bytes = encodeSafetensors(tensors, metadata);
        const header = readSafetensorsHeader(bytes);
        const at = header.dataStart + header.tensors['random_f16']!.dataOffsets[0];
        bytes[at] = bytes[at]! ^ 1;
        writeFileSync(file, bytes);
        const bad = spawnSync(PYTHON, [goldenScript, 'verify', file, expectedPath], {
          encoding: 'utf8',
        });
        expect(bad.status).toBe(1);
        expect(bad.stdout + bad.stderr).toMatch(/^FAIL: random_f16: values differ/m);
        expect(bad.stdout).toMatch(/^FAIL: random_f16: 1 of 4096 halves differ from numpy/m);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

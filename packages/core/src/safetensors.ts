/**
 * The safetensors container (https://github.com/huggingface/safetensors), read and written with
 * typed arrays only (no Node Buffer, no I/O):
 *
 *   [8 bytes: N, little-endian u64] [N bytes: UTF-8 JSON header] [byte buffer]
 *
 * The header maps each tensor name to {"dtype", "shape", "data_offsets": [begin, end]} (offsets
 * relative to the start of the byte buffer) plus an optional "__metadata__" string-to-string map.
 * Tensors cover the byte buffer contiguously (no gap, no overlap, nothing after the last one); data
 * is little-endian and row-major.
 *
 * Element types: F16 and BF16 travel as `Uint16Array` bit patterns (see float16.ts for F16
 * conversions); I64/U64 as `BigInt64Array`/`BigUint64Array`, so every 64-bit value is exact (no
 * rounding through `number`); BOOL as a `Uint8Array` of 0/1.
 */
import { PadimError, PadimErrorCode } from './errors.js';

// The core compiles against lib ES2023 with `types: []`, which declares neither of these. They are
// part of every runtime the core targets (browsers, workers, Node >= 11).
declare const TextEncoder: new () => { encode(input: string): Uint8Array };
declare const TextDecoder: new (
  label: string,
  options: { fatal: boolean },
) => { decode(input: Uint8Array): string };

/** The dtypes this module reads and writes. */
export const SAFETENSORS_DTYPES = [
  'F64',
  'F32',
  'F16',
  'BF16',
  'I64',
  'I32',
  'I16',
  'I8',
  'U64',
  'U32',
  'U16',
  'U8',
  'BOOL',
] as const;

export type SafetensorsDtype = (typeof SAFETENSORS_DTYPES)[number];

/** The typed array that holds each dtype's elements. */
export interface SafetensorsArrayTypes {
  F64: Float64Array;
  F32: Float32Array;
  /** IEEE binary16 bit patterns. */
  F16: Uint16Array;
  /** bfloat16 bit patterns (the top 16 bits of a float32). */
  BF16: Uint16Array;
  I64: BigInt64Array;
  I32: Int32Array;
  I16: Int16Array;
  I8: Int8Array;
  U64: BigUint64Array;
  U32: Uint32Array;
  U16: Uint16Array;
  U8: Uint8Array;
  /** One byte per element, 0 or 1. */
  BOOL: Uint8Array;
}

export type SafetensorsArray = SafetensorsArrayTypes[SafetensorsDtype];

/**
 * One tensor: `data` holds product(shape) elements in row-major order (shape [] is a scalar with one
 * element; a 0 in the shape makes an empty tensor). Narrow on `dtype` to get the array type.
 */
export type SafetensorsTensor = {
  [D in SafetensorsDtype]: {
    readonly dtype: D;
    readonly shape: readonly number[];
    readonly data: SafetensorsArrayTypes[D];
  };
}[SafetensorsDtype];

/** Where a tensor lives in the byte buffer, as the header states it. */
export interface SafetensorsEntry {
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  /** [begin, end) relative to the start of the byte buffer (file offset `dataStart + begin`). */
  readonly dataOffsets: readonly [number, number];
}

/** A parsed and validated header. */
export interface SafetensorsHeader {
  /** N: the byte length of the JSON header, padding included. */
  readonly headerLength: number;
  /** 8 + N: file offset of the byte buffer. */
  readonly dataStart: number;
  /** Byte length of the byte buffer: the end offset of the last tensor. */
  readonly dataLength: number;
  /** dataStart + dataLength: the exact size of a well-formed file. */
  readonly fileLength: number;
  readonly metadata: Readonly<Record<string, string>>;
  readonly tensors: Readonly<Record<string, SafetensorsEntry>>;
  /** Tensor names in byte-buffer order. */
  readonly names: readonly string[];
}

export interface DecodeSafetensorsOptions {
  /**
   * Always copy tensor data into fresh arrays. By default (false) a tensor whose bytes are aligned
   * for its element type (always so for files written by this module or the reference writer) is
   * returned as a zero-copy view that aliases the input bytes: writing to one changes the other, and
   * the view keeps the whole input buffer alive. Unaligned tensors (and every tensor on a big-endian
   * host) are copied regardless.
   */
  readonly copy?: boolean;
}

/** The reference implementation's limit on N; anything larger is taken as corruption. */
export const SAFETENSORS_MAX_HEADER_LENGTH = 100_000_000;

const METADATA_KEY = '__metadata__';

interface DtypeInfo {
  readonly size: number;
  /**
   * Position in the reference crate's `Dtype` enum, which is declared in increasing alignment
   * order. Its writer sorts tensors by this rank descending, then by name, so every tensor is
   * aligned for its element type once the buffer starts 8-byte aligned.
   */
  readonly rank: number;
}

const DTYPE_INFO: Readonly<Record<SafetensorsDtype, DtypeInfo>> = {
  BOOL: { size: 1, rank: 0 },
  U8: { size: 1, rank: 1 },
  I8: { size: 1, rank: 2 },
  I16: { size: 2, rank: 5 },
  U16: { size: 2, rank: 6 },
  F16: { size: 2, rank: 7 },
  BF16: { size: 2, rank: 8 },
  I32: { size: 4, rank: 9 },
  U32: { size: 4, rank: 10 },
  F32: { size: 4, rank: 11 },
  F64: { size: 8, rank: 12 },
  I64: { size: 8, rank: 13 },
  U64: { size: 8, rank: 14 },
};

/** Byte size of one element of `dtype`. */
export function safetensorsDtypeSize(dtype: SafetensorsDtype): number {
  return DTYPE_INFO[dtype].size;
}

function isDtype(value: string): value is SafetensorsDtype {
  return Object.hasOwn(DTYPE_INFO, value);
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function malformed(message: string): PadimError {
  return new PadimError(PadimErrorCode.MALFORMED_DATA, `safetensors: ${message}`);
}

function invalid(message: string): PadimError {
  return new PadimError(PadimErrorCode.INVALID_ARGUMENT, `safetensors: ${message}`);
}

// ---------------------------------------------------------------------------------------------
// Encoding

/**
 * Serialises tensors (and optional string metadata) into one safetensors file.
 *
 * The output is deterministic and byte-identical to what the reference Rust/Python writer
 * produces for the same input (up to the order of metadata keys, which that writer keeps in a hash
 * map and this one sorts): tensors are laid out by element alignment descending, then by name
 * (Unicode code point order), exactly the reference crate's order U64, I64, F64, F32, U32, I32,
 * BF16, F16, U16, I16, I8, U8, BOOL; header keys follow the layout; the JSON is compact and padded with
 * spaces so the byte buffer starts 8-byte aligned. Every tensor is therefore aligned for its
 * element type, which lets `decodeSafetensors` return zero-copy views.
 *
 * @param tensors name -> tensor; each `data` must be the dtype's array type (see
 *   `SafetensorsArrayTypes`) with product(shape) elements. Not modified.
 * @param metadata optional string -> string map, written as "__metadata__" (omitted when undefined).
 * @returns the file bytes: 8 + N + sum of the tensors' byte lengths.
 * @throws PadimError INVALID_ARGUMENT for a bad name, dtype, shape, array type, BOOL value or
 *   metadata value; SHAPE_MISMATCH when the element count differs from product(shape).
 */
export function encodeSafetensors(
  tensors: Readonly<Record<string, SafetensorsTensor>>,
  metadata?: Readonly<Record<string, string>>,
): Uint8Array {
  const names = Object.keys(tensors);
  for (const name of names) {
    if (name === METADATA_KEY) throw invalid(`a tensor cannot be named ${METADATA_KEY}`);
    checkWellFormed('tensor name', name);
    checkTensorArgument(name, tensors[name] as SafetensorsTensor);
  }
  names.sort((a, b) => {
    const ta = tensors[a] as SafetensorsTensor;
    const tb = tensors[b] as SafetensorsTensor;
    return DTYPE_INFO[tb.dtype].rank - DTYPE_INFO[ta.dtype].rank || compareCodePoints(a, b);
  });

  // The JSON is assembled by hand: JSON.stringify of an object would move integer-like keys ("0")
  // to the front, breaking the layout order.
  const parts: string[] = [];
  if (metadata !== undefined) {
    const keys = Object.keys(metadata).sort(compareCodePoints);
    const fields: string[] = [];
    for (const key of keys) {
      const value: unknown = metadata[key];
      if (typeof value !== 'string') {
        throw invalid(`metadata value of "${key}" must be a string, got ${typeof value}`);
      }
      checkWellFormed('metadata key', key);
      checkWellFormed(`metadata value of "${key}"`, value);
      fields.push(`${JSON.stringify(key)}:${JSON.stringify(value)}`);
    }
    parts.push(`${JSON.stringify(METADATA_KEY)}:{${fields.join(',')}}`);
  }
  let offset = 0;
  for (const name of names) {
    const t = tensors[name] as SafetensorsTensor;
    const end = offset + t.data.byteLength;
    parts.push(
      `${JSON.stringify(name)}:{"dtype":"${t.dtype}","shape":[${t.shape.join(',')}],` +
        `"data_offsets":[${offset},${end}]}`,
    );
    offset = end;
  }
  const json = new TextEncoder().encode(`{${parts.join(',')}}`);
  const headerLength = Math.ceil(json.length / 8) * 8;
  if (headerLength > SAFETENSORS_MAX_HEADER_LENGTH) {
    throw invalid(`header of ${headerLength} bytes exceeds ${SAFETENSORS_MAX_HEADER_LENGTH}`);
  }
  const dataStart = 8 + headerLength;
  const out = new Uint8Array(dataStart + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerLength, true); // the high 32 bits stay 0
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, dataStart);
  let pos = dataStart;
  for (const name of names) {
    const data = (tensors[name] as SafetensorsTensor).data;
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    out.set(bytes, pos);
    if (!LITTLE_ENDIAN_HOST)
      swapBytes(out.subarray(pos, pos + bytes.length), data.BYTES_PER_ELEMENT);
    pos += bytes.length;
  }
  return out;
}

function checkTensorArgument(name: string, t: SafetensorsTensor): void {
  const dtype: unknown = t.dtype;
  if (typeof dtype !== 'string' || !isDtype(dtype)) {
    throw invalid(`tensor "${name}": unsupported dtype ${String(dtype)}`);
  }
  if (!isArrayOf(dtype, t.data)) {
    throw invalid(`tensor "${name}": dtype ${dtype} needs a ${arrayTypeName(dtype)}`);
  }
  const count = elementCount(t.shape, (message) => invalid(`tensor "${name}": ${message}`));
  if (t.data.length !== count) {
    throw new PadimError(
      PadimErrorCode.SHAPE_MISMATCH,
      `safetensors: tensor "${name}": shape [${t.shape.join(', ')}] needs ${count} elements, ` +
        `got ${t.data.length}`,
    );
  }
  if (dtype === 'BOOL') {
    const index = firstNonBoolean(t.data as Uint8Array);
    if (index >= 0) throw invalid(`tensor "${name}": BOOL element ${index} is not 0 or 1`);
  }
}

function isArrayOf(dtype: SafetensorsDtype, data: unknown): boolean {
  switch (dtype) {
    case 'F64':
      return data instanceof Float64Array;
    case 'F32':
      return data instanceof Float32Array;
    case 'F16':
    case 'BF16':
    case 'U16':
      return data instanceof Uint16Array;
    case 'I64':
      return data instanceof BigInt64Array;
    case 'I32':
      return data instanceof Int32Array;
    case 'I16':
      return data instanceof Int16Array;
    case 'I8':
      return data instanceof Int8Array;
    case 'U64':
      return data instanceof BigUint64Array;
    case 'U32':
      return data instanceof Uint32Array;
    case 'U8':
    case 'BOOL':
      return data instanceof Uint8Array;
  }
}

function arrayTypeName(dtype: SafetensorsDtype): string {
  switch (dtype) {
    case 'F64':
      return 'Float64Array';
    case 'F32':
      return 'Float32Array';
    case 'F16':
    case 'BF16':
    case 'U16':
      return 'Uint16Array';
    case 'I64':
      return 'BigInt64Array';
    case 'I32':
      return 'Int32Array';
    case 'I16':
      return 'Int16Array';
    case 'I8':
      return 'Int8Array';
    case 'U64':
      return 'BigUint64Array';
    case 'U32':
      return 'Uint32Array';
    case 'U8':
    case 'BOOL':
      return 'Uint8Array';
  }
}

/** product(shape) for a shape of non-negative integers; `fail` builds the error otherwise. */
function elementCount(shape: unknown, fail: (message: string) => PadimError): number {
  if (!Array.isArray(shape)) throw fail('shape must be an array');
  let count = 1;
  for (let i = 0; i < shape.length; i++) {
    const s: unknown = shape[i];
    if (typeof s !== 'number' || !Number.isSafeInteger(s) || s < 0) {
      throw fail(`shape[${i}] must be a non-negative integer, got ${String(s)}`);
    }
    count *= s;
    if (!Number.isSafeInteger(count)) throw fail('element count overflows');
  }
  return count;
}

function firstNonBoolean(data: Uint8Array): number {
  for (let i = 0; i < data.length; i++) {
    if ((data[i] as number) > 1) return i;
  }
  return -1;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Strings must be valid Unicode: a lone surrogate has no UTF-8 form. */
function checkWellFormed(what: string, s: string): void {
  if (LONE_SURROGATE.test(s)) throw invalid(`${what} ${JSON.stringify(s)} has a lone surrogate`);
}

/**
 * Orders strings by Unicode code point, which is the byte order of their UTF-8 forms (how the
 * reference writer, in Rust, compares names). Plain `<` compares UTF-16 code units and disagrees for
 * characters above U+FFFF versus U+E000..U+FFFF.
 */
function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca !== cb) return codeUnitKey(ca) - codeUnitKey(cb);
  }
  return a.length - b.length;
}

/** Moves surrogates (D800..DFFF, halves of code points >= 0x10000) above E000..FFFF. */
function codeUnitKey(c: number): number {
  if (c >= 0xd800 && c <= 0xdfff) return c + 0x2000;
  if (c >= 0xe000) return c - 0x800;
  return c;
}

function swapBytes(bytes: Uint8Array, size: number): void {
  if (size === 1) return;
  for (let i = 0; i < bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = bytes[a] as number;
      bytes[a] = bytes[b] as number;
      bytes[b] = t;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Decoding

/**
 * Reads the 8-byte length prefix: how many bytes (8 + N) `readSafetensorsHeader` needs. Lets a caller
 * fetch the first 8 bytes of a large file, then exactly the header, then byte ranges of tensors.
 *
 * @param bytes at least the first 8 bytes of a file.
 * @throws PadimError MALFORMED_DATA when fewer than 8 bytes are given or N exceeds 100 MB.
 */
export function readSafetensorsHeaderLength(bytes: Uint8Array): number {
  if (bytes.length < 8)
    throw malformed(`truncated: ${bytes.length} bytes, the length prefix needs 8`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
  const low = view.getUint32(0, true);
  const high = view.getUint32(4, true);
  if (high !== 0 || low > SAFETENSORS_MAX_HEADER_LENGTH) {
    const n = BigInt(high) * 2n ** 32n + BigInt(low);
    throw malformed(`header length ${n} exceeds the ${SAFETENSORS_MAX_HEADER_LENGTH}-byte limit`);
  }
  return 8 + low;
}

/**
 * Parses and validates the header only, from the start of a file (`bytes` may end anywhere after the
 * header, so the first 8 + N bytes of a large file are enough). Checks every entry (dtype, shape,
 * offsets matching product(shape) * itemsize) and that the offsets tile [0, dataLength) without gaps
 * or overlaps; whether the buffer really has dataLength bytes is left to the caller (decodeSafetensors
 * checks it).
 *
 * @throws PadimError MALFORMED_DATA (truncated, oversized length, invalid UTF-8 or JSON, bad entry,
 *   bad offsets, non-string metadata, a tensor named "__metadata__"); UNSUPPORTED_FORMAT for a dtype
 *   this module does not read (F8_E4M3, C64, ...).
 */
export function readSafetensorsHeader(bytes: Uint8Array): SafetensorsHeader {
  const dataStart = readSafetensorsHeaderLength(bytes);
  const headerLength = dataStart - 8;
  if (bytes.length < dataStart) {
    throw malformed(`truncated: header needs ${dataStart} bytes, got ${bytes.length}`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, dataStart));
  } catch {
    throw malformed('header is not valid UTF-8');
  }
  if (!text.startsWith('{')) throw malformed('header must start with "{"');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw malformed(`header is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!isPlainObject(parsed)) throw malformed('header must be a JSON object');

  let metadata: Record<string, string> = {};
  const entries: [string, SafetensorsEntry][] = [];
  for (const [key, value] of Object.entries(parsed)) {
    if (key === METADATA_KEY) {
      metadata = parseMetadata(value);
    } else {
      entries.push([key, parseEntry(key, value)]);
    }
  }

  // Order by offsets (writers may list keys in any order), then require an exact tiling.
  entries.sort(
    ([, a], [, b]) => a.dataOffsets[0] - b.dataOffsets[0] || a.dataOffsets[1] - b.dataOffsets[1],
  );
  let expectedBegin = 0;
  for (const [name, entry] of entries) {
    const [begin, end] = entry.dataOffsets;
    if (begin < expectedBegin) {
      throw malformed(`tensor "${name}" at [${begin}, ${end}) overlaps the previous tensor`);
    }
    if (begin > expectedBegin) {
      throw malformed(`gap of ${begin - expectedBegin} bytes before tensor "${name}"`);
    }
    expectedBegin = end;
  }

  return {
    headerLength,
    dataStart,
    dataLength: expectedBegin,
    fileLength: dataStart + expectedBegin,
    metadata,
    tensors: Object.fromEntries(entries),
    names: entries.map(([name]) => name),
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseMetadata(value: unknown): Record<string, string> {
  // The reference reader maps `null` to "no metadata"; accept it too.
  if (value === null) return {};
  if (!isPlainObject(value)) throw malformed(`${METADATA_KEY} must be an object`);
  if ('dtype' in value || 'data_offsets' in value) {
    throw malformed(`a tensor cannot be named ${METADATA_KEY} (the key is reserved for metadata)`);
  }
  const out: [string, string][] = [];
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') {
      throw malformed(
        `${METADATA_KEY} value of "${key}" must be a string, got ${JSON.stringify(v)}`,
      );
    }
    out.push([key, v]);
  }
  // fromEntries defines own properties, so a key like "__proto__" cannot reach the prototype.
  return Object.fromEntries(out);
}

function parseEntry(name: string, value: unknown): SafetensorsEntry {
  const fail = (message: string): PadimError => malformed(`tensor "${name}": ${message}`);
  if (!isPlainObject(value)) throw fail('entry must be an object');
  const dtype = value['dtype'];
  if (typeof dtype !== 'string') throw fail('dtype must be a string');
  if (!isDtype(dtype)) {
    throw new PadimError(
      PadimErrorCode.UNSUPPORTED_FORMAT,
      `safetensors: tensor "${name}": dtype ${JSON.stringify(dtype)} is not supported ` +
        `(supported: ${SAFETENSORS_DTYPES.join(', ')})`,
    );
  }
  const count = elementCount(value['shape'], fail);
  const offsets = value['data_offsets'];
  if (!Array.isArray(offsets) || offsets.length !== 2) {
    throw fail('data_offsets must be [begin, end]');
  }
  const [begin, end] = offsets as unknown[];
  if (
    typeof begin !== 'number' ||
    typeof end !== 'number' ||
    !Number.isSafeInteger(begin) ||
    !Number.isSafeInteger(end) ||
    begin < 0 ||
    end < begin
  ) {
    throw fail(`data_offsets [${String(begin)}, ${String(end)}] are not 0 <= begin <= end`);
  }
  const byteLength = count * DTYPE_INFO[dtype].size;
  if (!Number.isSafeInteger(byteLength)) throw fail('byte length overflows');
  if (end - begin !== byteLength) {
    throw fail(
      `data_offsets [${begin}, ${end}] span ${end - begin} bytes, but ${dtype} ` +
        `[${(value['shape'] as number[]).join(', ')}] needs ${byteLength}`,
    );
  }
  return { dtype, shape: [...(value['shape'] as number[])], dataOffsets: [begin, end] };
}

/**
 * Decodes a whole safetensors file.
 *
 * @param bytes the complete file; not modified. Its length must be exactly header + byte buffer.
 * @returns the metadata ({} when absent) and name -> tensor. See `DecodeSafetensorsOptions.copy` for
 *   when tensors are zero-copy views of `bytes`.
 * @throws PadimError MALFORMED_DATA / UNSUPPORTED_FORMAT as `readSafetensorsHeader`, plus a byte
 *   buffer shorter or longer than the header describes, or a BOOL byte other than 0 or 1.
 */
export function decodeSafetensors(
  bytes: Uint8Array,
  options: DecodeSafetensorsOptions = {},
): { metadata: Record<string, string>; tensors: Record<string, SafetensorsTensor> } {
  const header = readSafetensorsHeader(bytes);
  if (bytes.length < header.fileLength) {
    throw malformed(
      `truncated: the header describes ${header.fileLength} bytes, got ${bytes.length} ` +
        `(tensor data out of range)`,
    );
  }
  if (bytes.length > header.fileLength) {
    throw malformed(
      `${bytes.length - header.fileLength} bytes after the last tensor are not covered by the header`,
    );
  }
  const tensors: [string, SafetensorsTensor][] = [];
  for (const name of header.names) {
    const entry = header.tensors[name] as SafetensorsEntry;
    const [begin, end] = entry.dataOffsets;
    const range = bytes.subarray(header.dataStart + begin, header.dataStart + end);
    tensors.push([name, decodeSafetensorsTensor(entry, range, options)]);
  }
  return { metadata: { ...header.metadata }, tensors: Object.fromEntries(tensors) };
}

/**
 * Decodes one tensor from its own bytes, e.g. a range fetched at file offsets
 * [header.dataStart + begin, header.dataStart + end) after `readSafetensorsHeader`.
 *
 * @param entry the tensor's header entry.
 * @param bytes exactly end - begin bytes; not modified. Aliased by the result unless copied (see
 *   `DecodeSafetensorsOptions.copy`).
 * @throws PadimError MALFORMED_DATA when the byte count differs from the entry or a BOOL byte is
 *   not 0 or 1.
 */
export function decodeSafetensorsTensor(
  entry: SafetensorsEntry,
  bytes: Uint8Array,
  options: DecodeSafetensorsOptions = {},
): SafetensorsTensor {
  const { dtype } = entry;
  const size = DTYPE_INFO[dtype].size;
  const expected = entry.dataOffsets[1] - entry.dataOffsets[0];
  if (bytes.length !== expected) {
    throw malformed(`${dtype} tensor needs ${expected} bytes, got ${bytes.length}`);
  }
  let source = bytes;
  const aligned = bytes.byteOffset % size === 0;
  if (options.copy === true || !aligned || !LITTLE_ENDIAN_HOST) {
    source = bytes.slice(); // fresh buffer, offset 0: aligned for every size
    if (!LITTLE_ENDIAN_HOST) swapBytes(source, size);
  }
  const data = viewAs(dtype, source.buffer, source.byteOffset, source.length / size);
  if (dtype === 'BOOL') {
    const index = firstNonBoolean(data as Uint8Array);
    if (index >= 0) throw malformed(`BOOL element ${index} is not 0 or 1`);
  }
  return { dtype, shape: [...entry.shape], data } as SafetensorsTensor;
}

function viewAs(
  dtype: SafetensorsDtype,
  buffer: ArrayBufferLike,
  byteOffset: number,
  length: number,
): SafetensorsArray {
  switch (dtype) {
    case 'F64':
      return new Float64Array(buffer, byteOffset, length);
    case 'F32':
      return new Float32Array(buffer, byteOffset, length);
    case 'F16':
    case 'BF16':
    case 'U16':
      return new Uint16Array(buffer, byteOffset, length);
    case 'I64':
      return new BigInt64Array(buffer, byteOffset, length);
    case 'I32':
      return new Int32Array(buffer, byteOffset, length);
    case 'I16':
      return new Int16Array(buffer, byteOffset, length);
    case 'I8':
      return new Int8Array(buffer, byteOffset, length);
    case 'U64':
      return new BigUint64Array(buffer, byteOffset, length);
    case 'U32':
      return new Uint32Array(buffer, byteOffset, length);
    case 'U8':
    case 'BOOL':
      return new Uint8Array(buffer, byteOffset, length);
  }
}

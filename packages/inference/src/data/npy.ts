/**
 * NumPy .npy files (format version 1.0) for float32 maps: what `padim eval --save-maps` writes and
 * `padim metrics --maps` reads, so other tools' maps can be compared on equal terms.
 */
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export class NpyError extends Error {
  override readonly name = 'NpyError';
}

export function encodeNpy(data: Float32Array, shape: readonly number[]): Uint8Array {
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${dims}), }`;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const headerBytes = new TextEncoder().encode(header);
  const out = new Uint8Array(10 + headerBytes.length + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, headerBytes.length, true);
  out.set(headerBytes, 10);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + headerBytes.length);
  return out;
}

/** Reads a little-endian float32 (or float64, converted) C-order .npy file. */
export function decodeNpy(bytes: Uint8Array): { data: Float32Array; shape: number[] } {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b))
    throw new NpyError('not a .npy file');
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  if (start + headerLength > bytes.length) throw new NpyError('.npy header is truncated');
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLength));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw new NpyError('.npy header is malformed');
  if (fortran === 'True') throw new NpyError('Fortran-order .npy files are not supported');
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const body = bytes.subarray(start + headerLength);
  if (descr === '<f4') {
    if (body.byteLength !== count * 4)
      throw new NpyError(`.npy data has ${body.byteLength} bytes, expected ${count * 4}`);
    const data = new Float32Array(count);
    new Uint8Array(data.buffer).set(body);
    return { data, shape };
  }
  if (descr === '<f8') {
    if (body.byteLength !== count * 8)
      throw new NpyError(`.npy data has ${body.byteLength} bytes, expected ${count * 8}`);
    const f64 = new Float64Array(count);
    new Uint8Array(f64.buffer).set(body);
    return { data: Float32Array.from(f64), shape };
  }
  throw new NpyError(`.npy dtype ${descr} is not supported (float32 or float64 expected)`);
}

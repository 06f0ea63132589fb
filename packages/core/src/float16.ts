/**
 * IEEE 754 binary16 ("half", safetensors dtype F16) conversions on raw bit patterns.
 *
 * Node 20 has no Float16Array, so half-precision data travels as `Uint16Array` bit patterns
 * (1 sign bit, 5 exponent bits with bias 15, 10 mantissa bits). Both conversions read and write
 * bit patterns through integer views, so NaN payloads are not canonicalised along the way.
 */

/**
 * float32 -> float16 bit patterns, round-to-nearest-even (the IEEE default, and what numpy's
 * `astype(np.float16)` does).
 *
 * - |x| >= 65520 (halfway between 65504, the largest half, and 2^16) and +-Infinity give +-Infinity.
 * - Values below 2^-14 become subnormal halves (multiples of 2^-24); |x| <= 2^-25 rounds to a zero
 *   that keeps the sign of x (2^-25 itself is a tie and goes to the even neighbour, zero).
 * - NaN stays NaN with its sign and the top 10 payload bits; a payload that lives only in the low
 *   13 bits (which the narrowing drops) becomes the quiet NaN 0x7e00 (with sign), so the result is
 *   never mistaken for Infinity. Every half round-trips bit-exactly through
 *   `float16BitsToFloat32` and back, signalling NaNs included.
 *
 * @param values [n] float32 values; not modified.
 * @returns [n] float16 bit patterns.
 */
export function float32ToFloat16Bits(values: Float32Array): Uint16Array {
  // A Float32Array's byteOffset is always a multiple of 4, so an integer view over the same bytes is
  // valid; reading bits (not numbers) keeps NaN payloads intact.
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < bits.length; i++) {
    out[i] = floatBitsToHalfBits(bits[i] as number);
  }
  return out;
}

/** One float32 bit pattern to one float16 bit pattern; see `float32ToFloat16Bits`. */
function floatBitsToHalfBits(f: number): number {
  const sign = (f >>> 16) & 0x8000;
  const exp = (f >>> 23) & 0xff; // biased float32 exponent
  const mant = f & 0x7fffff;

  if (exp === 0xff) {
    if (mant === 0) return sign | 0x7c00; // +-Infinity
    const payload = mant >>> 13;
    return sign | 0x7c00 | (payload === 0 ? 0x200 : payload);
  }
  // Half exponent range: biased float32 exponents 113..142 are the normal halves (2^-14 .. 2^15).
  if (exp >= 143) return sign | 0x7c00; // |x| >= 2^16 overflows.
  if (exp >= 113) {
    // Normal half: rebias the exponent, keep the top 10 mantissa bits, round on the dropped 13 bits.
    let h = ((exp - 112) << 10) | (mant >>> 13);
    const rest = mant & 0x1fff;
    if (rest > 0x1000 || (rest === 0x1000 && (h & 1) === 1)) h++; // a carry may reach Infinity: correct.
    return sign | h;
  }
  // Subnormal half (or zero): value = sig * 2^(exp - 150), expressed in units of 2^-24.
  if (exp < 102) return sign; // |x| < 2^-25: below half the smallest subnormal.
  const sig = mant | 0x800000; // exp >= 102 > 0, so the float32 is normal and has the implicit bit.
  const shift = 126 - exp; // 14..24
  let h = sig >>> shift;
  const rest = sig & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  if (rest > half || (rest === half && (h & 1) === 1)) h++; // may carry into the smallest normal.
  return sign | h;
}

/**
 * float16 bit patterns -> float32, exact (every half is representable as a float32): subnormals are
 * normalised, +-0 and +-Infinity keep their sign, NaN payloads are kept (shifted into the top of the
 * float32 mantissa).
 *
 * @param bits [n] float16 bit patterns; not modified.
 * @returns [n] float32 values.
 */
export function float16BitsToFloat32(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  const outBits = new Uint32Array(out.buffer);
  for (let i = 0; i < bits.length; i++) {
    outBits[i] = halfBitsToFloatBits(bits[i] as number);
  }
  return out;
}

function halfBitsToFloatBits(h: number): number {
  const sign = (h & 0x8000) << 16;
  const exp = (h >>> 10) & 0x1f;
  let mant = h & 0x3ff;
  if (exp === 0x1f) return (sign | 0x7f800000 | (mant << 13)) >>> 0; // Infinity or NaN
  if (exp !== 0) return (sign | ((exp + 112) << 23) | (mant << 13)) >>> 0;
  if (mant === 0) return sign >>> 0; // +-0
  // Subnormal half mant * 2^-24: shift the leading one up to the implicit-bit position.
  let e = 113;
  while ((mant & 0x400) === 0) {
    mant <<= 1;
    e--;
  }
  return (sign | (e << 23) | ((mant & 0x3ff) << 13)) >>> 0;
}

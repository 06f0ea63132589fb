/**
 * Exact stepping between adjacent IEEE 754 binary64 values (JavaScript numbers), through the bit
 * pattern: no epsilon arithmetic, which is wrong near zero, for negative numbers and across binades.
 */

/**
 * The largest double strictly below `x` (IEEE 754-2008 nextDown): nextDown(1) = 1 - 2^-53,
 * nextDown(0) = nextDown(-0) = -Number.MIN_VALUE (-2^-1074), nextDown(Number.MIN_VALUE) = 0,
 * nextDown(Infinity) = Number.MAX_VALUE, nextDown(-Number.MAX_VALUE) = -Infinity,
 * nextDown(-Infinity) = -Infinity, nextDown(NaN) = NaN.
 *
 * Finite doubles of one sign are ordered like their bit patterns read as unsigned integers, so a
 * positive value steps down by subtracting one from its bits and a negative value by adding one.
 */
export function nextDown(x: number): number {
  if (Number.isNaN(x) || x === -Infinity) return x;
  if (x === 0) return -Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  let high = view.getUint32(0);
  let low = view.getUint32(4);
  if (x > 0) {
    // Magnitude down by one unit in the last place, borrowing from the high word.
    if (low === 0) {
      low = 0xffffffff;
      high -= 1;
    } else low -= 1;
  } else if (low === 0xffffffff) {
    // Negative: magnitude up by one unit in the last place, carrying into the high word
    // (-Number.MAX_VALUE carries into the exponent of -Infinity).
    low = 0;
    high += 1;
  } else low += 1;
  view.setUint32(0, high);
  view.setUint32(4, low);
  return view.getFloat64(0);
}

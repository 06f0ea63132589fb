import { PadimError, PadimErrorCode } from './errors.js';

/**
 * Dense float64 linear algebra on row-major d x d blocks inside larger arrays (a [P, d, d] stack is
 * addressed by `offset = p * d * d`). Small and allocation-free on purpose: the fit runs these
 * 3136 times per model.
 */

/** Index of (i, j), j <= i, in a packed lower triangle stored row by row: d(d+1)/2 entries. */
export function packedIndex(i: number, j: number): number {
  return ((i * (i + 1)) >> 1) + j; // integer shift keeps V8 on small-integer indices
}

/** Number of entries of a packed triangle of a d x d matrix. */
export function packedSize(d: number): number {
  return (d * (d + 1)) >> 1;
}

/**
 * Cholesky factorisation in place: on return the lower triangle of `a` (from `offset`, d x d,
 * row-major) holds C with A = C C^T; the strict upper triangle is set to 0. Throws
 * NOT_POSITIVE_DEFINITE when a pivot is not positive (A not SPD to working precision).
 */
export function choleskyInPlace(a: Float64Array, d: number, offset = 0): void {
  for (let j = 0; j < d; j++) {
    const rowJ = offset + j * d;
    let diag = a[rowJ + j];
    for (let k = 0; k < j; k++) diag -= a[rowJ + k] * a[rowJ + k];
    if (!(diag > 0)) {
      throw new PadimError(
        PadimErrorCode.NOT_POSITIVE_DEFINITE,
        `matrix is not positive definite (pivot ${j} is ${diag})`,
      );
    }
    const cjj = Math.sqrt(diag);
    a[rowJ + j] = cjj;
    for (let i = j + 1; i < d; i++) {
      const rowI = offset + i * d;
      let s = a[rowI + j];
      for (let k = 0; k < j; k++) s -= a[rowI + k] * a[rowJ + k];
      a[rowI + j] = s / cjj;
    }
    for (let k = j + 1; k < d; k++) a[rowJ + k] = 0;
  }
}

/**
 * Inverse of a lower-triangular matrix C (d x d at `offset`), written as a lower-triangular d x d
 * block into `out` at `outOffset`. Column by column forward substitution of C X = I.
 */
export function invertLowerTriangular(
  c: Float64Array,
  d: number,
  out: Float64Array,
  offset = 0,
  outOffset = 0,
): void {
  for (let i = 0; i < d * d; i++) out[outOffset + i] = 0;
  for (let col = 0; col < d; col++) {
    out[outOffset + col * d + col] = 1 / c[offset + col * d + col];
    for (let i = col + 1; i < d; i++) {
      let s = 0;
      for (let k = col; k < i; k++) s += c[offset + i * d + k] * out[outOffset + k * d + col];
      out[outOffset + i * d + col] = -s / c[offset + i * d + i];
    }
  }
}

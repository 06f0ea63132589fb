/**
 * Trapezoidal integration with an optional upper limit, as trapezoid() in generic_util.py of the MVTec AD
 * evaluation scripts (the integral behind AUPRO).
 */
import { PadimError, PadimErrorCode, assertFinite, assertLength } from '../errors.js';

/**
 * Streaming form of `trapezoid`: feed the points in order with `add`, read the area with `area()`.
 * With a limit, points must come with nondecreasing x; `add` returns false once the limit is passed (the
 * remaining points are not needed).
 */
export class TrapezoidAccumulator {
  private sum = 0;
  private correction = 0;
  private count = 0;
  private xPrev = 0;
  private yPrev = 0;
  private hitLimit = false;
  private done = false;

  constructor(private readonly xMax?: number) {
    if (xMax !== undefined && Number.isNaN(xMax)) {
      throw new PadimError(PadimErrorCode.INVALID_ARGUMENT, 'trapezoid: xMax is NaN');
    }
  }

  add(x: number, y: number): boolean {
    if (this.done) return false;
    const xMax = this.xMax;
    if (xMax !== undefined && this.count > 0 && x < this.xPrev) {
      throw new PadimError(
        PadimErrorCode.INVALID_ARGUMENT,
        `trapezoid: with an upper limit x must be nondecreasing, got ${x} after ${this.xPrev}`,
      );
    }
    if (xMax === undefined || x <= xMax) {
      if (this.count > 0) this.sum += 0.5 * (y + this.yPrev) * (x - this.xPrev);
      if (x === xMax) this.hitLimit = true;
      this.xPrev = x;
      this.yPrev = y;
      this.count++;
      return true;
    }
    // The first point beyond the limit.
    if (this.count === 0) {
      throw new PadimError(
        PadimErrorCode.INVALID_ARGUMENT,
        `trapezoid: xMax ${xMax} is below the first x ${x}`,
      );
    }
    if (!this.hitLimit) {
      // Interpolate y at xMax between the last point at or below the limit and this one.
      const yInterp = this.yPrev + ((y - this.yPrev) * (xMax - this.xPrev)) / (x - this.xPrev);
      this.correction = 0.5 * (yInterp + this.yPrev) * (xMax - this.xPrev);
    }
    this.done = true;
    return false;
  }

  area(): number {
    if (this.xMax !== undefined && !this.done && !this.hitLimit) {
      throw new PadimError(
        PadimErrorCode.INVALID_ARGUMENT,
        `trapezoid: xMax ${this.xMax} is beyond the last x ${this.count > 0 ? this.xPrev : '(no points)'}`,
      );
    }
    return this.sum + this.correction;
  }
}

/**
 * Signed area under the polyline through (x[i], y[i]) [n] by the trapezoidal rule (as numpy.trapz). With `xMax`, only the part
 * x <= xMax is integrated; when xMax falls between two points the curve is interpolated linearly there,
 * exactly as generic_util.trapezoid(x, y, x_max) of the MVTec AD evaluation code. With xMax, x must be
 * nondecreasing and xMax within [x[0], x[n - 1]].
 *
 * Differs from the reference only in refusing bad input: non-finite points throw NON_FINITE (the
 * reference drops them with a warning); lengths that differ throw SHAPE_MISMATCH; an xMax outside the
 * range of x, or unsorted x with an xMax, throw INVALID_ARGUMENT (the reference fails an assert).
 */
export function trapezoid(x: ArrayLike<number>, y: ArrayLike<number>, xMax?: number): number {
  assertLength('trapezoid: y', y.length, x.length);
  assertFinite('trapezoid: x', x);
  assertFinite('trapezoid: y', y);
  if (xMax !== undefined) {
    for (let i = 1; i < x.length; i++) {
      if (x[i] < x[i - 1]) {
        throw new PadimError(
          PadimErrorCode.INVALID_ARGUMENT,
          `trapezoid: with an upper limit x must be nondecreasing, x[${i}] < x[${i - 1}]`,
        );
      }
    }
  }
  const acc = new TrapezoidAccumulator(xMax);
  for (let i = 0; i < x.length; i++) {
    if (!acc.add(x[i], y[i])) break;
  }
  return acc.area();
}

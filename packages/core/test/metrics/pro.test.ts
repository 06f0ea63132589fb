import { describe, expect, it } from 'vitest';
import { PRO_FPR_LIMIT } from '../../src/constants.js';
import { PadimErrorCode } from '../../src/errors.js';
import { aupro, proCurve, trapezoid } from '../../src/metrics/index.js';
import type { Map2D, MapSet } from '../../src/metrics/index.js';
import type { Maps } from '../../src/tensor.js';
import { golden, goldenMaps, goldenMasks } from './golden.js';
import { expectAllClose, expectPadimError, snapshot } from './helpers.js';

function oneImage(
  height: number,
  width: number,
  scores: number[],
  mask: number[],
): [Maps, Uint8Array] {
  return [{ data: Float32Array.from(scores), shape: [1, height, width] }, Uint8Array.from(mask)];
}

describe('proCurve / aupro (golden: MVTec AD compute_pro + trapezoid, transcribed in Python)', () => {
  const masks = goldenMasks();

  for (const kind of ['quantised', 'continuous'] as const) {
    const expected = golden.pixel[kind];

    it(`matches the reference PRO curve (${kind} maps)`, () => {
      const curve = proCurve(goldenMaps(kind), masks);
      expect(curve.fpr.length).toBe(expected.curve.length);
      expect(curve.pro.length).toBe(expected.curve.length);
      const idx = expected.curve.indices ?? expected.curve.fpr.map((_, i) => i);
      const pick = (a: Float64Array): number[] => idx.map((i) => a[i] as number);
      // Same computation in float64: 1e-9; the published reference rounds the FPR to float32: 1e-6.
      expectAllClose(pick(curve.fpr), expected.curve.fpr, 1e-9);
      expectAllClose(pick(curve.pro), expected.curve.pro, 1e-9);
      expectAllClose(pick(curve.fpr), expected.curve.referenceFpr, 1e-6);
    });

    for (const { limit, float64, reference } of expected.aupro) {
      it(`matches the reference AUPRO at FPR limit ${limit} (${kind} maps)`, () => {
        const value = aupro(goldenMaps(kind), masks, limit);
        expect(Math.abs(value - float64)).toBeLessThan(1e-9);
        expect(Math.abs(value - reference)).toBeLessThan(1e-6);
      });
    }
  }

  it('defaults to PRO_FPR_LIMIT = 0.3 and equals trapezoid(proCurve) / limit', () => {
    const maps = goldenMaps('continuous');
    const curve = proCurve(maps, masks);
    expect(aupro(maps, masks)).toBe(aupro(maps, masks, PRO_FPR_LIMIT));
    for (const limit of [0.3, 0.05, 1]) {
      expect(aupro(maps, masks, limit)).toBeCloseTo(
        trapezoid(curve.fpr, curve.pro, limit) / limit,
        14,
      );
    }
  });

  it('accepts a Map2D list with per-image masks', () => {
    const maps = goldenMaps('quantised');
    const { count, height, width } = golden.pixel;
    const size = height * width;
    const list: Map2D[] = [];
    const maskList: Uint8Array[] = [];
    for (let i = 0; i < count; i++) {
      list.push({ data: maps.data.slice(i * size, (i + 1) * size), shape: [height, width] });
      maskList.push(masks.slice(i * size, (i + 1) * size).map((v) => v * 255));
    }
    expect(proCurve(list, maskList)).toEqual(proCurve(maps, masks));
    expect(aupro(list, maskList)).toBe(aupro(maps, masks));
  });
});

describe('proCurve / aupro (by hand)', () => {
  it('weights each region equally whatever its size', () => {
    // 1 x 5: region A = pixels 0-1 (2 pixels), region B = pixel 4; normals: pixels 2, 3.
    const [maps, mask] = oneImage(1, 5, [5, 1, 4, 3, 2], [1, 1, 0, 0, 1]);
    const curve = proCurve(maps, mask);
    // Thresholds 5, 4, 3, 2, 1: half of A (PRO 1/4), then the two normals, then B (+1/2), then A's rest.
    expect(Array.from(curve.fpr)).toEqual([0, 0, 0.5, 1, 1, 1, 1]);
    expect(Array.from(curve.pro)).toEqual([0, 0.25, 0.25, 0.25, 0.75, 1, 1]);
    expect(aupro(maps, mask)).toBeCloseTo(0.25, 15);
    expect(aupro(maps, mask, 1)).toBeCloseTo(0.25, 15);
  });

  it('interpolates linearly at the FPR limit', () => {
    // 1 x 4: regions at pixels 0 and 3 (1 pixel each), normals at 1, 2 scored 3 and 2.
    const [maps, mask] = oneImage(1, 4, [4, 3, 2, 1], [1, 0, 0, 1]);
    const curve = proCurve(maps, mask);
    expect(Array.from(curve.fpr)).toEqual([0, 0, 0.5, 1, 1, 1]);
    expect(Array.from(curve.pro)).toEqual([0, 0.5, 0.5, 0.5, 1, 1]);
    // Up to 0.3: the flat segment at PRO 0.5 -> area 0.15 -> 0.5; up to 0.75: 0.375 / 0.75 = 0.5.
    expect(aupro(maps, mask)).toBeCloseTo(0.5, 15);
    expect(aupro(maps, mask, 0.75)).toBeCloseTo(0.5, 15);
  });

  it('collapses tied scores into one point (the last index of each run of equal scores)', () => {
    const [maps, mask] = oneImage(1, 2, [2, 2], [1, 0]);
    const curve = proCurve(maps, mask);
    expect(Array.from(curve.fpr)).toEqual([0, 1, 1]);
    expect(Array.from(curve.pro)).toEqual([0, 1, 1]);
    // The diagonal (0, 0) -> (1, 1), interpolated at 0.3: area 0.045, AUPRO 0.15.
    expect(aupro(maps, mask)).toBeCloseTo(0.15, 15);
  });

  it('uses 8-connected regions: diagonal neighbours are one region', () => {
    // 2 x 4: (0,0) and (1,1) touch at a corner -> one region of 2 pixels; (0,3) is a second region.
    const mask = [1, 0, 0, 1, 0, 1, 0, 0];
    const [maps, m] = oneImage(2, 4, [9, 1, 1, 1, 1, 1, 1, 1], mask);
    // The first point covers half of the diagonal region: 1 / (2 regions * 2 pixels) = 0.25
    // (with 4-connectivity it would be 1/3).
    expect(proCurve(maps, m).pro[1]).toBe(0.25);
  });

  it('gives AUPRO 1 for a perfect map and 0 for an inverted one', () => {
    const masks = goldenMasks();
    const perfect = Float32Array.from(masks, (v, i) => (v !== 0 ? 10 + (i % 3) : (i % 7) / 7));
    const shape = [golden.pixel.count, golden.pixel.height, golden.pixel.width] as const;
    expect(aupro({ data: perfect, shape }, masks)).toBeCloseTo(1, 14);
    expect(aupro({ data: perfect.map((v) => -v), shape }, masks)).toBe(0);
  });

  it('scales to 200 maps of 224 x 224 (perfect map: AUPRO 1)', () => {
    const [n, h, w] = [200, 224, 224];
    const data = new Float32Array(n * h * w);
    const mask = new Uint8Array(n * h * w);
    let s = 99;
    for (let i = 0; i < data.length; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      const y = Math.floor(i / w) % h;
      const x = i % w;
      const image = Math.floor(i / (h * w));
      const defect =
        image % 2 === 0 &&
        Math.abs(y - 100) < 5 + (image % 13) &&
        Math.abs(x - 20 - (image % 150)) < 8;
      mask[i] = defect ? 1 : 0;
      data[i] = (s / 4294967296) * (defect ? 1 : 0.5) + (defect ? 0.5 : 0);
    }
    expect(aupro({ data, shape: [n, h, w] }, mask)).toBeCloseTo(1, 12);
  }, 60_000);
});

describe('proCurve / aupro (errors and purity)', () => {
  const maps = goldenMaps('quantised');
  const masks = goldenMasks();

  for (const [name, fn] of [
    ['proCurve', (m: MapSet, k: Uint8Array | Uint8Array[]) => proCurve(m, k)],
    ['aupro', (m: MapSet, k: Uint8Array | Uint8Array[]) => aupro(m, k)],
  ] as const) {
    it(`${name} rejects bad input with the fitting PadimError code`, () => {
      expectPadimError(() => fn(maps, masks.subarray(3)), PadimErrorCode.SHAPE_MISMATCH);
      expectPadimError(
        () => fn([{ data: maps.data, shape: [3, 7] }], [masks]),
        PadimErrorCode.SHAPE_MISMATCH,
      );
      expectPadimError(() => fn([], []), PadimErrorCode.INSUFFICIENT_SAMPLES);
      expectPadimError(
        () => fn(maps, new Uint8Array(masks.length)),
        PadimErrorCode.INSUFFICIENT_SAMPLES,
      );
      expectPadimError(
        () => fn(maps, new Uint8Array(masks.length).fill(1)),
        PadimErrorCode.INSUFFICIENT_SAMPLES,
      );
      const bad = maps.data.slice();
      bad[77] = NaN;
      expectPadimError(
        () => fn({ data: bad, shape: maps.shape }, masks),
        PadimErrorCode.NON_FINITE,
      );
      // A flat Float32Array has no [H, W]: regions cannot be found (a JavaScript caller can pass one).
      const flat = [maps.data] as unknown as MapSet;
      expectPadimError(() => fn(flat, masks), PadimErrorCode.INVALID_ARGUMENT);
    });
  }

  it('aupro rejects an FPR limit outside (0, 1]', () => {
    for (const limit of [0, -0.1, 1.01, NaN]) {
      expectPadimError(() => aupro(maps, masks, limit), PadimErrorCode.INVALID_ARGUMENT);
    }
  });

  it('does not mutate its inputs', () => {
    const [m0, k0] = [snapshot(maps.data), snapshot(masks)];
    proCurve(maps, masks);
    aupro(maps, masks);
    expect(Array.from(maps.data)).toEqual(m0);
    expect(Array.from(masks)).toEqual(k0);
  });
});

describe('trapezoid (generic_util.trapezoid of the MVTec AD evaluation code)', () => {
  it('integrates a polyline, with any x order when there is no limit', () => {
    expect(trapezoid([0, 1, 2], [0, 1, 0])).toBe(1);
    expect(trapezoid([0, 2, 1], [0, 0, 1])).toBe(-0.5); // signed, like numpy
    expect(trapezoid([], [])).toBe(0);
  });

  it('cuts at x_max, interpolating linearly when x_max falls between points', () => {
    // y = x on [0, 1] up to 0.5: 0.125.
    expect(trapezoid([0, 1], [0, 1], 0.5)).toBeCloseTo(0.125, 15);
    // x_max on a point: no interpolation, the vertical jump at x = 0.5 adds nothing.
    expect(trapezoid([0, 0.5, 0.5, 1], [0, 0.5, 1, 1], 0.5)).toBeCloseTo(0.125, 15);
    // x_max between points after a vertical jump: interpolation starts from the top of the jump.
    expect(trapezoid([0, 0, 1], [0, 1, 1], 0.3)).toBeCloseTo(0.3, 15);
  });

  it('rejects bad input with the fitting PadimError code', () => {
    expectPadimError(() => trapezoid([0, 1], [0]), PadimErrorCode.SHAPE_MISMATCH);
    expectPadimError(() => trapezoid([0, NaN], [0, 1]), PadimErrorCode.NON_FINITE);
    expectPadimError(() => trapezoid([0, 1], [0, 1], 2), PadimErrorCode.INVALID_ARGUMENT);
    expectPadimError(() => trapezoid([0.2, 1], [0, 1], 0.1), PadimErrorCode.INVALID_ARGUMENT);
    expectPadimError(() => trapezoid([0, 1, 0.5], [0, 1, 1], 0.9), PadimErrorCode.INVALID_ARGUMENT);
    expectPadimError(() => trapezoid([0, 1], [0, 1], NaN), PadimErrorCode.INVALID_ARGUMENT);
  });
});

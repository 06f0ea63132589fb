import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  anomalyMaps,
  gaussianBlur,
  gaussianKernel1d,
  imageScores,
  reflectIndex,
  resizeMap,
  resizeMaps,
  type ResizeMode,
} from '../src/anomaly-map.js';
import { BLUR_SIGMA, BLUR_TRUNCATE } from '../src/constants.js';
import { PadimError, PadimErrorCode } from '../src/errors.js';
import type { Maps, Shape3 } from '../src/tensor.js';

interface ResizeCase {
  shape: Shape3;
  height: number;
  width: number;
  mode: ResizeMode;
  input: number[];
  output: number[];
}
interface BlurCase {
  shape: Shape3;
  sigma: number;
  truncate: number;
  input: number[];
  output: number[];
}
interface AnomalyCase {
  shape: Shape3;
  height: number;
  width: number;
  mode: ResizeMode;
  sigma: number;
  input?: number[];
  inputFrom?: ResizeMode;
  step: number;
  values: number[];
  sums: number[];
  maxima: number[];
}
interface Golden {
  resize: ResizeCase[];
  blur: BlurCase[];
  anomalyMaps: AnomalyCase[];
}

const golden = JSON.parse(
  readFileSync(new URL('./fixtures/anomaly-map-golden.json', import.meta.url), 'utf8'),
) as Golden;

function maps(shape: Shape3, values: ArrayLike<number>): Maps {
  return { data: Float32Array.from(values), shape };
}

/** Largest |actual - expected| / max(1, |expected|); float32 references agree to ~1e-7. */
function maxRelError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i] as number;
    const err = Math.abs((actual[i] as number) - e) / Math.max(1, Math.abs(e));
    if (!(err <= worst)) worst = err;
  }
  return worst;
}

/** Deterministic pseudo-random maps (LCG), values in [0, 10). */
function randomMaps(shape: Shape3, seed = 1): Maps {
  const data = new Float32Array(shape[0] * shape[1] * shape[2]);
  let s = seed >>> 0;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = (s / 2 ** 32) * 10;
  }
  return { data, shape };
}

function expectPadimError(fn: () => unknown, code: PadimErrorCode): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(PadimError);
  expect((caught as PadimError).code).toBe(code);
}

describe('resizeMaps (golden: torch F.interpolate, align_corners=False)', () => {
  for (const c of golden.resize) {
    it(`${c.mode} [${c.shape.join(', ')}] -> ${c.height}x${c.width}`, () => {
      const out = resizeMaps(maps(c.shape, c.input), c.height, c.width, c.mode);
      expect(out.shape).toEqual([c.shape[0], c.height, c.width]);
      expect(maxRelError(out.data, c.output)).toBeLessThan(1e-5);
    });
  }

  it('resizeMap equals resizeMaps on one map', () => {
    const m = randomMaps([1, 6, 8], 7);
    for (const mode of ['bilinear', 'bicubic'] as const) {
      expect(resizeMap(m.data, 6, 8, 11, 5, mode)).toEqual(resizeMaps(m, 11, 5, mode).data);
    }
  });

  it('same size is the identity; constant maps stay constant (up and down)', () => {
    const m = randomMaps([2, 5, 7], 3);
    for (const mode of ['bilinear', 'bicubic'] as const) {
      expect(resizeMaps(m, 5, 7, mode).data).toEqual(m.data);
      const c = maps([1, 6, 9], new Float32Array(54).fill(3.25));
      for (const [h, w] of [
        [24, 36],
        [4, 5],
        [1, 1],
        [13, 2],
      ] as const) {
        const out = resizeMaps(c, h, w, mode).data;
        for (const v of out) expect(v).toBeCloseTo(3.25, 6);
      }
    }
  });

  it('bicubic overshoots near a step (no clamping of values), bilinear does not', () => {
    const step = maps([1, 1, 4], [0, 0, 1, 1]);
    const cubic = resizeMaps(step, 1, 16, 'bicubic').data;
    const linear = resizeMaps(step, 1, 16, 'bilinear').data;
    expect(Math.min(...cubic)).toBeLessThan(0);
    expect(Math.max(...cubic)).toBeGreaterThan(1);
    expect(Math.min(...linear)).toBe(0);
    expect(Math.max(...linear)).toBe(1);
  });
});

describe('gaussianKernel1d', () => {
  it('has 33 taps for sigma 4, sums to 1, is symmetric and peaks at the centre', () => {
    const k = gaussianKernel1d(4, 4);
    expect(k.length).toBe(33);
    expect(gaussianKernel1d().length).toBe(2 * Math.floor(BLUR_TRUNCATE * BLUR_SIGMA + 0.5) + 1);
    expect(k.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
    for (let i = 0; i < 33; i++) expect(k[i]).toBe(k[32 - i]);
    expect(Math.max(...k)).toBe(k[16]);
    expect((k[16] as number) / (k[20] as number)).toBeCloseTo(Math.exp(16 / 32), 12);
  });

  it('radius is int(truncate * sigma + 0.5) like scipy', () => {
    expect(gaussianKernel1d(1.5, 2).length).toBe(7); // int(3.5) = 3
    expect(gaussianKernel1d(1.2, 2).length).toBe(5); // int(2.9) = 2
    expect(Array.from(gaussianKernel1d(3, 0))).toEqual([1]);
  });
});

describe('gaussianBlur (golden: scipy.ndimage.gaussian_filter, mode reflect)', () => {
  it('reflectIndex is half-sample symmetric and repeats for far positions', () => {
    // size 3, positions -7..9: ... a a b c c b a | a b c | c b a a b c c ...
    const got = Array.from({ length: 17 }, (_, j) => reflectIndex(j - 7, 3));
    expect(got).toEqual([0, 0, 1, 2, 2, 1, 0, 0, 1, 2, 2, 1, 0, 0, 1, 2, 2]);
    expect(reflectIndex(0, 1)).toBe(0);
    expect(reflectIndex(-5, 1)).toBe(0);
  });

  for (const c of golden.blur) {
    it(`[${c.shape.join(', ')}] sigma ${c.sigma} truncate ${c.truncate}`, () => {
      const out = gaussianBlur(maps(c.shape, c.input), c.sigma, c.truncate);
      expect(out.shape).toEqual(c.shape);
      expect(maxRelError(out.data, c.output)).toBeLessThan(1e-5);
    });
  }

  it('keeps constant maps constant, including maps smaller than the radius', () => {
    for (const shape of [
      [1, 3, 5],
      [1, 1, 1],
      [2, 40, 33],
    ] as const) {
      const n = shape[0] * shape[1] * shape[2];
      const out = gaussianBlur(maps(shape, new Float32Array(n).fill(-2.5))).data;
      for (const v of out) expect(v).toBeCloseTo(-2.5, 6);
    }
  });

  it('blurs an impulse away from the borders into the outer product of the kernel (sum 1)', () => {
    const size = 101;
    const impulse = new Float32Array(size * size);
    impulse[50 * size + 50] = 1;
    const out = gaussianBlur(maps([1, size, size], impulse)).data;
    const k = gaussianKernel1d(BLUR_SIGMA, BLUR_TRUNCATE);
    let sum = 0;
    for (const v of out) sum += v;
    expect(sum).toBeCloseTo(1, 6);
    for (let dy = -20; dy <= 20; dy++) {
      for (let dx = -20; dx <= 20; dx++) {
        const inside = Math.abs(dy) <= 16 && Math.abs(dx) <= 16;
        const expected = inside ? (k[dy + 16] as number) * (k[dx + 16] as number) : 0;
        expect(out[(50 + dy) * size + 50 + dx]).toBeCloseTo(expected, 8);
      }
    }
  });
});

describe('anomalyMaps and imageScores (golden: interpolate then gaussian_filter, 56x56 -> 224x224)', () => {
  const inputs = new Map<ResizeMode, number[]>();
  for (const c of golden.anomalyMaps) if (c.input) inputs.set(c.mode, c.input);

  for (const c of golden.anomalyMaps) {
    it(`${c.mode} [${c.shape.join(', ')}] -> ${c.height}x${c.width}, sigma ${c.sigma}`, () => {
      const input = c.input ?? inputs.get(c.inputFrom as ResizeMode);
      expect(input).toBeDefined();
      const out = anomalyMaps(maps(c.shape, input as number[]), {
        height: c.height,
        width: c.width,
        resize: c.mode,
        sigma: c.sigma,
      });
      const [b] = c.shape;
      expect(out.shape).toEqual([b, c.height, c.width]);
      const picked: number[] = [];
      for (let i = 0; i < b; i++) {
        for (let y = 0; y < c.height; y += c.step) {
          for (let x = 0; x < c.width; x += c.step)
            picked.push(out.data[(i * c.height + y) * c.width + x] as number);
        }
      }
      expect(maxRelError(picked, c.values)).toBeLessThan(1e-5);
      const n = c.height * c.width;
      for (let i = 0; i < b; i++) {
        let sum = 0;
        for (let j = i * n; j < (i + 1) * n; j++) sum += out.data[j] as number;
        expect(Math.abs(sum - (c.sums[i] as number)) / Math.abs(c.sums[i] as number)).toBeLessThan(
          1e-6,
        );
      }
      expect(maxRelError(imageScores(out), c.maxima)).toBeLessThan(1e-5);
    });
  }

  it('defaults to bicubic and BLUR_SIGMA, and equals blur(resize(x))', () => {
    const d = randomMaps([3, 8, 6], 11);
    const out = anomalyMaps(d, { height: 32, width: 20 });
    expect(out.data).toEqual(gaussianBlur(resizeMaps(d, 32, 20, 'bicubic'), BLUR_SIGMA).data);
    const lin = anomalyMaps(d, { height: 16, width: 12, resize: 'bilinear', sigma: 2 });
    expect(lin.data).toEqual(gaussianBlur(resizeMaps(d, 16, 12, 'bilinear'), 2).data);
  });

  it('imageScores takes the max of each map; NaN propagates', () => {
    const m = maps([3, 2, 2], [1, 5, -2, 3, -4, -3, -9, -1, 0, NaN, 7, 1]);
    const s = imageScores(m);
    expect(s).toBeInstanceOf(Float32Array);
    expect(Array.from(s)).toEqual([5, -1, NaN]);
  });
});

describe('validation and purity', () => {
  const good = randomMaps([2, 4, 5]);

  it('throws SHAPE_MISMATCH for wrong data length or rank', () => {
    const short: Maps = { data: new Float32Array(39), shape: [2, 4, 5] };
    const rank2 = { data: new Float32Array(20), shape: [4, 5] } as unknown as Maps;
    for (const bad of [short, rank2]) {
      expectPadimError(() => resizeMaps(bad, 8, 8, 'bilinear'), PadimErrorCode.SHAPE_MISMATCH);
      expectPadimError(() => gaussianBlur(bad), PadimErrorCode.SHAPE_MISMATCH);
      expectPadimError(
        () => anomalyMaps(bad, { height: 8, width: 8 }),
        PadimErrorCode.SHAPE_MISMATCH,
      );
      expectPadimError(() => imageScores(bad), PadimErrorCode.SHAPE_MISMATCH);
    }
    expectPadimError(
      () => resizeMap(new Float32Array(19), 4, 5, 8, 8, 'bicubic'),
      PadimErrorCode.SHAPE_MISMATCH,
    );
  });

  it('throws INVALID_ARGUMENT for non-positive or non-integer sizes', () => {
    for (const [h, w] of [
      [0, 5],
      [5, 0],
      [-1, 5],
      [2.5, 5],
      [5, NaN],
    ]) {
      expectPadimError(
        () => resizeMaps(good, h as number, w as number, 'bicubic'),
        PadimErrorCode.INVALID_ARGUMENT,
      );
      expectPadimError(
        () => anomalyMaps(good, { height: h as number, width: w as number }),
        PadimErrorCode.INVALID_ARGUMENT,
      );
    }
    expectPadimError(
      () => resizeMap(new Float32Array(0), 0, 5, 8, 8, 'bicubic'),
      PadimErrorCode.INVALID_ARGUMENT,
    );
  });

  it('throws INVALID_ARGUMENT for sigma <= 0, bad truncate and unknown modes', () => {
    for (const sigma of [0, -1, NaN, Infinity]) {
      expectPadimError(() => gaussianBlur(good, sigma), PadimErrorCode.INVALID_ARGUMENT);
      expectPadimError(() => gaussianKernel1d(sigma, 4), PadimErrorCode.INVALID_ARGUMENT);
      expectPadimError(
        () => anomalyMaps(good, { height: 8, width: 8, sigma }),
        PadimErrorCode.INVALID_ARGUMENT,
      );
    }
    expectPadimError(() => gaussianBlur(good, 4, -1), PadimErrorCode.INVALID_ARGUMENT);
    expectPadimError(() => gaussianKernel1d(4, NaN), PadimErrorCode.INVALID_ARGUMENT);
    const nearest = 'nearest' as unknown as ResizeMode;
    expectPadimError(() => resizeMaps(good, 8, 8, nearest), PadimErrorCode.INVALID_ARGUMENT);
    expectPadimError(
      () => resizeMap(good.data, 4, 10, 8, 8, nearest),
      PadimErrorCode.INVALID_ARGUMENT,
    );
    expectPadimError(
      () => anomalyMaps(good, { height: 8, width: 8, resize: nearest }),
      PadimErrorCode.INVALID_ARGUMENT,
    );
  });

  it('never mutates its inputs', () => {
    const input = randomMaps([2, 7, 9], 5);
    const copy = Float32Array.from(input.data);
    const shape = [...input.shape];
    const outputs = [
      resizeMaps(input, 7, 9, 'bicubic'),
      resizeMaps(input, 14, 3, 'bilinear'),
      gaussianBlur(input),
      anomalyMaps(input, { height: 28, width: 36 }),
    ];
    resizeMap(input.data, 14, 9, 5, 5, 'bicubic');
    imageScores(input);
    expect(input.data).toEqual(copy);
    expect([...input.shape]).toEqual(shape);
    for (const out of outputs) expect(out.data).not.toBe(input.data);
  });
});

import { describe, expect, it } from 'vitest';
import {
  GaussianAccumulator,
  PadimError,
  PadimErrorCode,
  choleskyInPlace,
  invertLowerTriangular,
  mahalanobisMaps,
  type FeatureMaps,
} from '../src/index.js';
import { loadFixture, maxRelativeError, pseudoRandom } from './helpers/fixtures.js';

interface GaussianGolden {
  gaussian: {
    shape: [number, number, number, number];
    eps: number;
    train: number[];
    mean: number[];
    cov: number[];
    test_shape: [number, number, number, number];
    test: number[];
    distances: number[];
  };
}

const golden = loadFixture<GaussianGolden>('gaussian-golden.json').gaussian;
const [B, D, H, W] = golden.shape;
const P = H * W;

function maps(
  data: ArrayLike<number>,
  shape: readonly [number, number, number, number],
): FeatureMaps {
  return { data: Float32Array.from(data), shape };
}

/** Slices images [from, to) of a [B, d, H, W] tensor. */
function slice(t: FeatureMaps, from: number, to: number): FeatureMaps {
  const per = t.shape[1] * t.shape[2] * t.shape[3];
  return {
    data: t.data.slice(from * per, to * per),
    shape: [to - from, t.shape[1], t.shape[2], t.shape[3]],
  };
}

function matmul(
  a: Float64Array | Float32Array,
  b: Float64Array | Float32Array,
  d: number,
  aOff = 0,
  bOff = 0,
) {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += a[aOff + i * d + k]! * b[bOff + k * d + j]!;
      out[i * d + j] = s;
    }
  return out;
}

function transpose(a: ArrayLike<number>, d: number, off = 0): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[j * d + i] = a[off + i * d + j]!;
  return out;
}

function maxAbsDiffFromIdentity(m: Float64Array, d: number): number {
  let worst = 0;
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++)
      worst = Math.max(worst, Math.abs(m[i * d + j]! - (i === j ? 1 : 0)));
  return worst;
}

describe('GaussianAccumulator against numpy.cov', () => {
  const train = maps(golden.train, golden.shape);

  it('matches numpy mean and cov(ddof=1) + eps I at every position', () => {
    const acc = GaussianAccumulator.create(H, W, D);
    acc.add(train);
    expect(acc.count).toBe(B);
    for (let p = 0; p < P; p++) {
      expect(maxRelativeError(acc.meanAt(p), golden.mean.slice(p * D, (p + 1) * D))).toBeLessThan(
        1e-12,
      );
      expect(
        maxRelativeError(
          acc.covariance(p, golden.eps),
          golden.cov.slice(p * D * D, (p + 1) * D * D),
        ),
      ).toBeLessThan(1e-9);
    }
  });

  it('streams: batch sizes 1, 2 and 6 give the same statistics as one batch', () => {
    const whole = GaussianAccumulator.create(H, W, D);
    whole.add(train);
    const streamed = GaussianAccumulator.create(H, W, D);
    streamed.add(slice(train, 0, 1));
    streamed.add(slice(train, 1, 3));
    streamed.add(slice(train, 3, 9));
    const a = whole.state();
    const b = streamed.state();
    expect(b.count).toBe(a.count);
    expect(maxRelativeError(b.mean, a.mean)).toBeLessThan(1e-13);
    expect(maxRelativeError(b.m2, a.m2, 1e-6)).toBeLessThan(1e-10);
  });

  it('merge(a, b) equals fit(a + b) and leaves both inputs unchanged', () => {
    const a = GaussianAccumulator.create(H, W, D);
    a.add(slice(train, 0, 4));
    const b = GaussianAccumulator.create(H, W, D);
    b.add(slice(train, 4, 9));
    const aBefore = a.state();
    const bBefore = b.state();
    const merged = a.merge(b);
    const whole = GaussianAccumulator.create(H, W, D);
    whole.add(train);
    expect(merged.count).toBe(9);
    expect(maxRelativeError(merged.state().mean, whole.state().mean)).toBeLessThan(1e-13);
    expect(maxRelativeError(merged.state().m2, whole.state().m2, 1e-6)).toBeLessThan(1e-10);
    expect(a.state()).toEqual(aBefore);
    expect(b.state()).toEqual(bBefore);
    // Merging with an empty accumulator is the identity.
    expect(a.merge(GaussianAccumulator.create(H, W, D)).state()).toEqual(aBefore);
    expect(GaussianAccumulator.create(H, W, D).merge(a).state()).toEqual(aBefore);
  });

  it('state round-trips through fromState', () => {
    const a = GaussianAccumulator.create(H, W, D);
    a.add(train);
    const restored = GaussianAccumulator.fromState(a.state());
    expect(restored.state()).toEqual(a.state());
    restored.add(slice(train, 0, 1));
    expect(a.count).toBe(B); // restored is a copy
  });

  it('never mutates the input embedding', () => {
    const copy = train.data.slice();
    const acc = GaussianAccumulator.create(H, W, D);
    acc.add(train);
    expect(train.data).toEqual(copy);
  });
});

describe('finalize: precision factor identities', () => {
  const acc = GaussianAccumulator.create(H, W, D);
  acc.add(maps(golden.train, golden.shape));
  const model = acc.finalize({ eps: golden.eps });

  it('L L^T = Sigma^-1, i.e. Sigma (L L^T) = I, at every position', () => {
    for (let p = 0; p < P; p++) {
      const l = model.precisionFactor.subarray(p * D * D, (p + 1) * D * D);
      const precision = matmul(l, transpose(l, D), D);
      const sigma = Float64Array.from(golden.cov.slice(p * D * D, (p + 1) * D * D));
      expect(maxAbsDiffFromIdentity(matmul(sigma, precision, D), D)).toBeLessThan(1e-4);
    }
  });

  it('L is upper triangular and the mean is float32 of numpy mean', () => {
    for (let p = 0; p < P; p++)
      for (let i = 0; i < D; i++)
        for (let j = 0; j < i; j++) expect(model.precisionFactor[p * D * D + i * D + j]).toBe(0);
    expect(maxRelativeError(model.mean, golden.mean)).toBeLessThan(1e-7);
    expect(model.count).toBe(B);
    expect(model.eps).toBe(golden.eps);
  });

  it('Mahalanobis maps equal numpy/scipy distances', () => {
    const dist = mahalanobisMaps(maps(golden.test, golden.test_shape), model);
    expect(dist.shape).toEqual([3, H, W]);
    expect(maxRelativeError(dist.data, golden.distances)).toBeLessThan(1e-4);
  });

  it('distance is 0 at the mean and grows with the offset', () => {
    const atMean = new Float32Array(D * P);
    for (let p = 0; p < P; p++)
      for (let i = 0; i < D; i++) atMean[i * P + p] = model.mean[p * D + i]!;
    const zero = mahalanobisMaps({ data: atMean, shape: [1, D, H, W] }, model);
    for (const v of zero.data) expect(v).toBe(0);
    const shifted = atMean.map((v) => v + 1);
    const twice = atMean.map((v) => v + 2);
    const m1 = mahalanobisMaps({ data: shifted, shape: [1, D, H, W] }, model).data;
    const m2 = mahalanobisMaps({ data: twice, shape: [1, D, H, W] }, model).data;
    // M is a norm of a linear function of the offset: doubling the offset doubles it.
    for (let p = 0; p < P; p++) expect(m2[p]! / m1[p]!).toBeCloseTo(2, 5);
  });
});

describe('Cholesky helpers', () => {
  it('C C^T = A and C^-1 C = I for a random SPD matrix', () => {
    const d = 12;
    const r = pseudoRandom(d * d, 3);
    const a = new Float64Array(d * d);
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) {
        let s = i === j ? 0.5 : 0;
        for (let k = 0; k < d; k++) s += r[i * d + k]! * r[j * d + k]!;
        a[i * d + j] = s;
      }
    const c = a.slice();
    choleskyInPlace(c, d);
    const cct = matmul(c, transpose(c, d), d);
    expect(maxRelativeError(cct, a, 1e-9)).toBeLessThan(1e-12);
    const inv = new Float64Array(d * d);
    invertLowerTriangular(c, d, inv);
    expect(maxAbsDiffFromIdentity(matmul(inv, c, d), d)).toBeLessThan(1e-12);
  });

  it('rejects a matrix that is not positive definite', () => {
    const a = Float64Array.from([1, 2, 2, 1]);
    expect(() => choleskyInPlace(a, 2)).toThrowError(
      expect.objectContaining({ code: PadimErrorCode.NOT_POSITIVE_DEFINITE }),
    );
  });
});

describe('bad input gives typed errors and changes nothing', () => {
  const train = maps(golden.train, golden.shape);

  it('N = 1 cannot be finalized: INSUFFICIENT_SAMPLES, not NaN', () => {
    const acc = GaussianAccumulator.create(H, W, D);
    acc.add(slice(train, 0, 1));
    expect(() => acc.finalize()).toThrowError(PadimError);
    expect(() => acc.finalize()).toThrowError(
      expect.objectContaining({ code: PadimErrorCode.INSUFFICIENT_SAMPLES }),
    );
    expect(() => GaussianAccumulator.create(H, W, D).finalize()).toThrowError(
      expect.objectContaining({ code: PadimErrorCode.INSUFFICIENT_SAMPLES }),
    );
  });

  it('N < d with eps = 0 is singular and names the position; eps > 0 makes it fit', () => {
    const acc = GaussianAccumulator.create(H, W, D);
    acc.add(slice(train, 0, 3)); // 3 samples of 5 dims: rank 2 covariance
    expect(() => acc.finalize({ eps: 0 })).toThrowError(/position 0 \(y=0, x=0\).*eps > 0/);
    const model = acc.finalize({ eps: 0.01 });
    for (const v of model.precisionFactor) expect(Number.isFinite(v)).toBe(true);
  });

  it('rejects wrong shapes, non-finite values and bad eps without changing the state', () => {
    const acc = GaussianAccumulator.create(H, W, D);
    acc.add(slice(train, 0, 2));
    const before = acc.state();
    const wrongDims: FeatureMaps = {
      data: new Float32Array(1 * (D + 1) * P),
      shape: [1, D + 1, H, W],
    };
    expect(() => acc.add(wrongDims)).toThrowError(
      expect.objectContaining({ code: PadimErrorCode.SHAPE_MISMATCH }),
    );
    const truncated: FeatureMaps = { data: new Float32Array(D * P - 1), shape: [1, D, H, W] };
    expect(() => acc.add(truncated)).toThrowError(
      expect.objectContaining({ code: PadimErrorCode.SHAPE_MISMATCH }),
    );
    const nan = slice(train, 2, 3);
    nan.data[nan.data.length - 1] = Number.NaN;
    expect(() => acc.add(nan)).toThrowError(
      expect.objectContaining({ code: PadimErrorCode.NON_FINITE }),
    );
    expect(acc.state()).toEqual(before);
    expect(() => acc.finalize({ eps: -1 })).toThrowError(
      expect.objectContaining({ code: PadimErrorCode.INVALID_ARGUMENT }),
    );
    expect(() => acc.merge(GaussianAccumulator.create(H, W, D + 1))).toThrowError(
      expect.objectContaining({ code: PadimErrorCode.SHAPE_MISMATCH }),
    );
    expect(() =>
      GaussianAccumulator.fromState({ ...before, mean: before.mean.subarray(1) }),
    ).toThrowError(expect.objectContaining({ code: PadimErrorCode.SHAPE_MISMATCH }));
  });

  it('mahalanobisMaps rejects an embedding that does not fit the model', () => {
    const acc = GaussianAccumulator.create(H, W, D);
    acc.add(train);
    const model = acc.finalize();
    expect(() =>
      mahalanobisMaps({ data: new Float32Array(D * P * 2), shape: [1, D, H * 2, W] }, model),
    ).toThrowError(expect.objectContaining({ code: PadimErrorCode.SHAPE_MISMATCH }));
  });
});

describe('addMoments (batch moments computed elsewhere)', () => {
  it('folding per-batch mean and centred M2 equals add()', () => {
    const train = maps(golden.train, golden.shape);
    const viaAdd = GaussianAccumulator.create(H, W, D);
    viaAdd.add(slice(train, 0, 4));
    viaAdd.add(slice(train, 4, 9));
    const viaMoments = GaussianAccumulator.create(H, W, D);
    for (const [from, to] of [
      [0, 4],
      [4, 9],
    ] as const) {
      const n = to - from;
      const mean = new Float64Array(P * D);
      const m2 = new Float32Array(P * D * D);
      for (let p = 0; p < P; p++) {
        for (let i = 0; i < D; i++) {
          let s = 0;
          for (let b = from; b < to; b++) s += train.data[(b * D + i) * P + p]!;
          mean[p * D + i] = s / n;
        }
        for (let i = 0; i < D; i++)
          for (let j = 0; j < D; j++) {
            let s = 0;
            for (let b = from; b < to; b++)
              s +=
                (train.data[(b * D + i) * P + p]! - mean[p * D + i]!) *
                (train.data[(b * D + j) * P + p]! - mean[p * D + j]!);
            m2[(p * D + i) * D + j] = s;
          }
      }
      viaMoments.addMoments(n, mean, m2);
    }
    expect(viaMoments.count).toBe(9);
    expect(maxRelativeError(viaMoments.state().mean, viaAdd.state().mean)).toBeLessThan(1e-12);
    expect(maxRelativeError(viaMoments.state().m2, viaAdd.state().m2, 1)).toBeLessThan(1e-6);
  });

  it('rejects bad shapes and values without changing the state', () => {
    const acc = GaussianAccumulator.create(H, W, D);
    acc.add(slice(maps(golden.train, golden.shape), 0, 2));
    const before = acc.state();
    expect(() =>
      acc.addMoments(2, new Float64Array(P * D - 1), new Float32Array(P * D * D)),
    ).toThrowError(expect.objectContaining({ code: PadimErrorCode.SHAPE_MISMATCH }));
    const nan = new Float32Array(P * D * D);
    nan[5] = Number.NaN;
    expect(() => acc.addMoments(2, new Float64Array(P * D), nan)).toThrowError(
      expect.objectContaining({ code: PadimErrorCode.NON_FINITE }),
    );
    expect(() =>
      acc.addMoments(0, new Float64Array(P * D), new Float32Array(P * D * D)),
    ).toThrowError(expect.objectContaining({ code: PadimErrorCode.INVALID_ARGUMENT }));
    expect(acc.state()).toEqual(before);
  });
});

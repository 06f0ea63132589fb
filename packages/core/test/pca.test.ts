import { describe, expect, it } from 'vitest';
import {
  GaussianAccumulator,
  PadimErrorCode,
  PcaAccumulator,
  mahalanobisMaps,
  projectEmbedding,
  sumLevelMaps,
  type FeatureMaps,
  type Maps,
} from '../src/index.js';
import { loadFixture, maxRelativeError, pseudoRandom } from './helpers/fixtures.js';

interface Golden {
  pca: {
    shape: [number, number, number, number];
    data: number[];
    d: number;
    mean: number[];
    components: number[];
    explained_variance: number[];
    projected_abs: number[];
  };
}

const golden = loadFixture<Golden>('gaussian-golden.json').pca;
const emb: FeatureMaps = { data: Float32Array.from(golden.data), shape: golden.shape };

describe('PCA (the paper ablation) against sklearn', () => {
  const acc = new PcaAccumulator(golden.shape[1]);
  acc.add(emb);
  const pca = acc.fit(golden.d);

  it('mean and explained variance equal sklearn PCA', () => {
    expect(acc.count).toBe(golden.shape[0] * golden.shape[2] * golden.shape[3]);
    expect(maxRelativeError(pca.mean, golden.mean)).toBeLessThan(1e-6);
    expect(maxRelativeError(pca.explainedVariance, golden.explained_variance)).toBeLessThan(1e-9);
  });

  it('components equal sklearn up to sign, are orthonormal, and projections agree in magnitude', () => {
    const c = golden.shape[1];
    for (let k = 0; k < golden.d; k++) {
      const ours = Array.from(pca.components.subarray(k * c, (k + 1) * c));
      const ref = golden.components.slice(k * c, (k + 1) * c);
      const sign = Math.sign(ours[0]!) === Math.sign(ref[0]!) ? 1 : -1;
      expect(
        maxRelativeError(
          ours.map((v) => v * sign),
          ref,
          1e-3,
        ),
      ).toBeLessThan(1e-5);
      for (let l = 0; l < golden.d; l++) {
        let dot = 0;
        for (let i = 0; i < c; i++) dot += pca.components[k * c + i]! * pca.components[l * c + i]!;
        expect(dot).toBeCloseTo(k === l ? 1 : 0, 6);
      }
    }
    const projected = projectEmbedding(emb, pca);
    const [b, , h, w] = golden.shape;
    expect(projected.shape).toEqual([b, golden.d, h, w]);
    // sklearn's transform is [N, K] with N ordered (b, y, x); ours is [B, K, H, W].
    const positions = h * w;
    for (let n = 0; n < b * positions; n++) {
      const bi = Math.floor(n / positions);
      const p = n % positions;
      for (let k = 0; k < golden.d; k++) {
        const ours = Math.abs(projected.data[(bi * golden.d + k) * positions + p]!);
        expect(ours).toBeCloseTo(golden.projected_abs[n * golden.d + k]!, 4);
      }
    }
  });

  it('streams: two batches equal one', () => {
    const two = new PcaAccumulator(golden.shape[1]);
    const per = golden.shape[1] * golden.shape[2] * golden.shape[3];
    two.add({
      data: emb.data.slice(0, per),
      shape: [1, golden.shape[1], golden.shape[2], golden.shape[3]],
    });
    two.add({
      data: emb.data.slice(per),
      shape: [golden.shape[0] - 1, golden.shape[1], golden.shape[2], golden.shape[3]],
    });
    expect(
      maxRelativeError(two.fit(golden.d).explainedVariance, pca.explainedVariance),
    ).toBeLessThan(1e-10);
  });

  it('rejects bad d, too few samples and wrong channel counts', () => {
    expect(() => acc.fit(golden.shape[1] + 1)).toThrowError(
      expect.objectContaining({ code: PadimErrorCode.INVALID_ARGUMENT }),
    );
    expect(() => new PcaAccumulator(4).fit(2)).toThrowError(
      expect.objectContaining({ code: PadimErrorCode.INSUFFICIENT_SAMPLES }),
    );
    expect(() => new PcaAccumulator(4).add(emb)).toThrowError(
      expect.objectContaining({ code: PadimErrorCode.SHAPE_MISMATCH }),
    );
    expect(() =>
      projectEmbedding({ data: new Float32Array(4), shape: [1, 4, 1, 1] }, pca),
    ).toThrowError(expect.objectContaining({ code: PadimErrorCode.SHAPE_MISMATCH }));
  });
});

describe('Layer 1+2+3 ablation: summed per-level maps', () => {
  it('upsampling a native-grid level map equals fitting on nearest-upsampled features', () => {
    // One level at 2x2 with 3 channels, 6 images; its nearest upsampling to 4x4 repeats each vector.
    const [n, c] = [6, 3];
    const native: FeatureMaps = { data: pseudoRandom(n * c * 4, 11), shape: [n, c, 2, 2] };
    const up = new Float32Array(n * c * 16);
    for (let b = 0; b < n; b++)
      for (let k = 0; k < c; k++)
        for (let y = 0; y < 4; y++)
          for (let x = 0; x < 4; x++)
            up[((b * c + k) * 4 + y) * 4 + x] =
              native.data[((b * c + k) * 2 + (y >> 1)) * 2 + (x >> 1)]!;
    const upsampled: FeatureMaps = { data: up, shape: [n, c, 4, 4] };

    const accNative = GaussianAccumulator.create(2, 2, c);
    accNative.add(native);
    const accUp = GaussianAccumulator.create(4, 4, c);
    accUp.add(upsampled);
    const viaNative = sumLevelMaps([mahalanobisMaps(native, accNative.finalize())], 4, 4);
    const viaUp = mahalanobisMaps(upsampled, accUp.finalize());
    expect(maxRelativeError(viaNative.data, viaUp.data, 1e-6)).toBeLessThan(1e-5);
  });

  it('sums maps of several levels on the first grid', () => {
    const a: Maps = { data: Float32Array.from([1, 2, 3, 4]), shape: [1, 2, 2] };
    const b: Maps = { data: Float32Array.from([10]), shape: [1, 1, 1] };
    expect(Array.from(sumLevelMaps([a, b], 2, 2).data)).toEqual([11, 12, 13, 14]);
    expect(() =>
      sumLevelMaps([a, { data: new Float32Array(2), shape: [2, 1, 1] }], 2, 2),
    ).toThrowError(expect.objectContaining({ code: PadimErrorCode.SHAPE_MISMATCH }));
  });
});

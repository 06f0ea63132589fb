import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { PadimError, PadimErrorCode, assertInteger } from './errors.js';
import { foldSamples } from './gaussian.js';
import { packedIndex, packedSize } from './linalg.js';
import type { FeatureMaps } from './tensor.js';
import { expectRank } from './tensor.js';

/**
 * PCA dimensionality reduction, the paper's ablation (Sec. 4.2, Table II: PCA100/PCA200 do worse
 * than random selection). The principal axes are fitted on the training embeddings pooled over all
 * images and positions: mean [C] and covariance [C, C] of every x_bp, streamed like the Gaussian fit.
 */
export interface PcaProjection {
  /** [C] */
  readonly mean: Float32Array;
  /** [d, C]: row k is the k-th principal axis (unit norm, largest-magnitude entry positive). */
  readonly components: Float32Array;
  /** [d]: variance of the training embeddings along each axis (eigenvalues, descending). */
  readonly explainedVariance: Float64Array;
  readonly inputDims: number;
  readonly dims: number;
}

/** Streaming pooled mean and covariance over every embedding vector of [B, C, H, W] batches. */
export class PcaAccumulator {
  private n = 0;
  private readonly mean: Float64Array;
  private readonly m2: Float64Array;

  constructor(readonly inputDims: number) {
    assertInteger('inputDims', inputDims, 1);
    this.mean = new Float64Array(inputDims);
    this.m2 = new Float64Array(packedSize(inputDims));
  }

  get count(): number {
    return this.n;
  }

  add(embedding: FeatureMaps): void {
    expectRank('PcaAccumulator.add', embedding, 4);
    const [batch, c, h, w] = embedding.shape;
    if (c !== this.inputDims) {
      throw new PadimError(
        PadimErrorCode.SHAPE_MISMATCH,
        `PcaAccumulator.add: expected ${this.inputDims} channels, got ${c}`,
      );
    }
    const positions = h * w;
    for (let i = 0; i < embedding.data.length; i++) {
      if (!Number.isFinite(embedding.data[i])) {
        throw new PadimError(
          PadimErrorCode.NON_FINITE,
          `PcaAccumulator.add: element ${i} is ${embedding.data[i]}`,
        );
      }
    }
    const chunk = 256;
    const samples = new Float64Array(chunk * c);
    const scratch = new Float64Array(2 * c);
    for (let b = 0; b < batch; b++) {
      for (let p0 = 0; p0 < positions; p0 += chunk) {
        const nB = Math.min(chunk, positions - p0);
        for (let k = 0; k < nB; k++) {
          for (let i = 0; i < c; i++)
            samples[k * c + i] = embedding.data[(b * c + i) * positions + p0 + k];
        }
        foldSamples(this.mean, 0, this.m2, 0, c, this.n, samples, nB, scratch);
        this.n += nB;
      }
    }
  }

  /** Top-d principal axes of the pooled covariance (symmetric eigendecomposition). */
  fit(d: number): PcaProjection {
    const c = this.inputDims;
    assertInteger('PCA d', d, 1, c);
    if (this.n < 2) {
      throw new PadimError(
        PadimErrorCode.INSUFFICIENT_SAMPLES,
        `PCA needs at least 2 embedding vectors, got ${this.n}`,
      );
    }
    const cov = new Matrix(c, c);
    for (let i = 0; i < c; i++) {
      for (let j = 0; j <= i; j++) {
        const v = this.m2[packedIndex(i, j)] / (this.n - 1);
        cov.set(i, j, v);
        cov.set(j, i, v);
      }
    }
    const evd = new EigenvalueDecomposition(cov, { assumeSymmetric: true });
    const values = evd.realEigenvalues;
    const vectors = evd.eigenvectorMatrix;
    const order = Array.from(values.keys()).sort((a, b) => values[b]! - values[a]!);
    const components = new Float32Array(d * c);
    const explainedVariance = new Float64Array(d);
    for (let k = 0; k < d; k++) {
      const col = order[k]!;
      explainedVariance[k] = values[col]!;
      let maxAbs = 0;
      let sign = 1;
      for (let i = 0; i < c; i++) {
        const v = vectors.get(i, col);
        if (Math.abs(v) > maxAbs) {
          maxAbs = Math.abs(v);
          sign = v < 0 ? -1 : 1;
        }
      }
      for (let i = 0; i < c; i++) components[k * c + i] = sign * vectors.get(i, col);
    }
    return {
      mean: Float32Array.from(this.mean),
      components,
      explainedVariance,
      inputDims: c,
      dims: d,
    };
  }
}

/** Projects embeddings [B, C, H, W] onto the principal axes: [B, d, H, W], y = V (x - mean). */
export function projectEmbedding(embedding: FeatureMaps, pca: PcaProjection): FeatureMaps {
  expectRank('projectEmbedding', embedding, 4);
  const [batch, c, h, w] = embedding.shape;
  if (c !== pca.inputDims) {
    throw new PadimError(
      PadimErrorCode.SHAPE_MISMATCH,
      `projectEmbedding: PCA expects ${pca.inputDims} channels, got ${c}`,
    );
  }
  const d = pca.dims;
  const positions = h * w;
  const out = new Float32Array(batch * d * positions);
  const centred = new Float64Array(c);
  for (let b = 0; b < batch; b++) {
    for (let p = 0; p < positions; p++) {
      for (let i = 0; i < c; i++)
        centred[i] = embedding.data[(b * c + i) * positions + p] - pca.mean[i];
      for (let k = 0; k < d; k++) {
        let s = 0;
        const row = k * c;
        for (let i = 0; i < c; i++) s += pca.components[row + i] * centred[i];
        out[(b * d + k) * positions + p] = s;
      }
    }
  }
  return { data: out, shape: [batch, d, h, w] };
}

import { EPSILON } from './constants.js';
import { PadimError, PadimErrorCode, assertFinite, assertInteger, assertLength } from './errors.js';
import { choleskyInPlace, invertLowerTriangular, packedIndex, packedSize } from './linalg.js';
import type { FeatureMaps } from './tensor.js';
import { expectRank } from './tensor.js';

/**
 * The state of a streaming multivariate Gaussian fit per patch position (paper, Sec. 3.2):
 * `count` samples seen, their mean [P, d] and the centred second moments
 * M2_p = sum_k (x_pk - mu_p)(x_pk - mu_p)^T stored as packed lower triangles [P, d(d+1)/2], all in
 * float64. This is the same information as (N, sum x, sum x x^T), kept in the centred form of Chan,
 * Golub & LeVeque (1979) because it does not lose precision to cancellation when |mu| >> sigma.
 * Two states merge exactly (parallel and incremental fits); memory does not depend on N.
 */
export interface GaussianAccumulatorState {
  readonly height: number;
  readonly width: number;
  readonly dims: number;
  readonly count: number;
  /** [P, d] */
  readonly mean: Float64Array;
  /** [P, d(d+1)/2], packed lower triangle row by row. */
  readonly m2: Float64Array;
}

/**
 * A fitted PaDiM model of one set of embeddings: per position p the mean mu_p and the precision
 * factor L_p, an upper-triangular d x d matrix with Sigma_p^-1 = L_p L_p^T, so the squared
 * Mahalanobis distance (paper, Eq. 2) is M^2(x) = |L_p^T (x - mu_p)|^2.
 *
 * Why this form: with Sigma = C C^T (Cholesky), L = C^-T. Scoring then needs one triangular
 * matrix-vector product per position, which is a batched MatMul (diff [P, B, d] x L [P, d, d]) in
 * the ONNX detector, instead of a sequential triangular solve; it is computed once, from the
 * Cholesky factor of the regularised covariance (condition number at most (lambda_max + eps) / eps),
 * never by inverting Sigma explicitly; and its packed triangle is half the bytes of Sigma^-1.
 */
export interface GaussianModel {
  readonly height: number;
  readonly width: number;
  readonly dims: number;
  /** Number of training embeddings (images) the model was fitted on. */
  readonly count: number;
  /** Regularisation added to the covariance diagonal. */
  readonly eps: number;
  /** [P, d] */
  readonly mean: Float32Array;
  /** [P, d, d], upper triangular (zeros below the diagonal). */
  readonly precisionFactor: Float32Array;
}

export interface FinalizeOptions {
  /** Diagonal regularisation of Sigma_p (paper: 0.01). */
  eps?: number;
}

/**
 * Folds `nB` samples into the running (count nA, mean, M2) of one position, with Chan et al.'s
 * pairwise update: delta = mean_B - mean_A, mean = mean_A + delta nB / n,
 * M2 = M2_A + M2_B + delta delta^T nA nB / n. `samples` is sample-major [nB, d] and is centred in
 * place. `scratch` needs 2 d entries.
 */
export function foldSamples(
  mean: Float64Array,
  meanOffset: number,
  m2: Float64Array,
  m2Offset: number,
  d: number,
  nA: number,
  samples: Float64Array,
  nB: number,
  scratch: Float64Array,
): void {
  const n = nA + nB;
  const batchMean = scratch; // [0, d)
  batchMean.fill(0, 0, d);
  for (let k = 0; k < nB; k++) {
    const row = k * d;
    for (let i = 0; i < d; i++) batchMean[i] += samples[row + i];
  }
  for (let i = 0; i < d; i++) batchMean[i] /= nB;
  for (let k = 0; k < nB; k++) {
    const row = k * d;
    for (let i = 0; i < d; i++) samples[row + i] -= batchMean[i];
  }
  // M2_B = sum_k x_k x_k^T of the centred samples: rank-4 updates of the packed triangle, so each
  // entry of M2 is loaded and stored once per four samples (the loop is memory-bound otherwise).
  let k = 0;
  for (; k + 4 <= nB; k += 4) {
    const r0 = k * d;
    const r1 = r0 + d;
    const r2 = r1 + d;
    const r3 = r2 + d;
    for (let i = 0; i < d; i++) {
      const a0 = samples[r0 + i];
      const a1 = samples[r1 + i];
      const a2 = samples[r2 + i];
      const a3 = samples[r3 + i];
      const base = m2Offset + packedIndex(i, 0);
      for (let j = 0; j <= i; j++) {
        m2[base + j] +=
          a0 * samples[r0 + j] + a1 * samples[r1 + j] + a2 * samples[r2 + j] + a3 * samples[r3 + j];
      }
    }
  }
  for (; k < nB; k++) {
    const row = k * d;
    for (let i = 0; i < d; i++) {
      const a = samples[row + i];
      const base = m2Offset + packedIndex(i, 0);
      for (let j = 0; j <= i; j++) m2[base + j] += a * samples[row + j];
    }
  }
  if (nA > 0) {
    const delta = scratch.subarray(d, 2 * d);
    for (let i = 0; i < d; i++) delta[i] = batchMean[i] - mean[meanOffset + i];
    const c = (nA * nB) / n;
    for (let i = 0; i < d; i++) {
      const ci = c * delta[i];
      const base = m2Offset + packedIndex(i, 0);
      for (let j = 0; j <= i; j++) m2[base + j] += ci * delta[j];
    }
    const w = nB / n;
    for (let i = 0; i < d; i++) mean[meanOffset + i] += delta[i] * w;
  } else {
    for (let i = 0; i < d; i++) mean[meanOffset + i] = batchMean[i];
  }
}

/**
 * Streaming per-position Gaussian (paper, Sec. 3.2). Feed embeddings [B, d, H, W] batch by batch,
 * then `finalize()`. The accumulator owns its state; inputs are never modified.
 */
export class GaussianAccumulator {
  private constructor(
    readonly height: number,
    readonly width: number,
    readonly dims: number,
    private n: number,
    private readonly meanData: Float64Array,
    private readonly m2Data: Float64Array,
  ) {}

  static create(height: number, width: number, dims: number): GaussianAccumulator {
    assertInteger('height', height, 1);
    assertInteger('width', width, 1);
    assertInteger('dims', dims, 1);
    const positions = height * width;
    return new GaussianAccumulator(
      height,
      width,
      dims,
      0,
      new Float64Array(positions * dims),
      new Float64Array(positions * packedSize(dims)),
    );
  }

  /** Rebuilds an accumulator from a saved state (copies it). Validates lengths and values. */
  static fromState(state: GaussianAccumulatorState): GaussianAccumulator {
    const acc = GaussianAccumulator.create(state.height, state.width, state.dims);
    assertInteger('count', state.count, 0);
    assertLength('accumulator mean', state.mean.length, acc.meanData.length);
    assertLength('accumulator m2', state.m2.length, acc.m2Data.length);
    assertFinite('accumulator mean', state.mean);
    assertFinite('accumulator m2', state.m2);
    acc.meanData.set(state.mean);
    acc.m2Data.set(state.m2);
    acc.n = state.count;
    return acc;
  }

  get positions(): number {
    return this.height * this.width;
  }

  get count(): number {
    return this.n;
  }

  /** A copy of the state, for checkpoints and serialisation. */
  state(): GaussianAccumulatorState {
    return {
      height: this.height,
      width: this.width,
      dims: this.dims,
      count: this.n,
      mean: this.meanData.slice(),
      m2: this.m2Data.slice(),
    };
  }

  /**
   * Adds a batch of embeddings [B, d, H, W]. Validates the shape and that every value is finite
   * before changing anything, so a bad batch leaves the accumulator as it was.
   */
  add(embedding: FeatureMaps): void {
    expectRank('GaussianAccumulator.add', embedding, 4);
    const [batch, d, h, w] = embedding.shape;
    if (d !== this.dims || h !== this.height || w !== this.width) {
      throw new PadimError(
        PadimErrorCode.SHAPE_MISMATCH,
        `GaussianAccumulator.add: expected [B, ${this.dims}, ${this.height}, ${this.width}], got [${embedding.shape.join(', ')}]`,
      );
    }
    assertFinite('GaussianAccumulator.add: embedding', embedding.data);
    const positions = h * w;
    const src = embedding.data;
    const samples = new Float64Array(batch * d);
    const scratch = new Float64Array(2 * d);
    const tri = packedSize(d);
    for (let p = 0; p < positions; p++) {
      for (let b = 0; b < batch; b++) {
        for (let i = 0; i < d; i++) samples[b * d + i] = src[(b * d + i) * positions + p];
      }
      foldSamples(this.meanData, p * d, this.m2Data, p * tri, d, this.n, samples, batch, scratch);
    }
    this.n += batch;
  }

  /**
   * Folds in the moments of a batch computed elsewhere (e.g. on onnxruntime): `count` samples with
   * mean [P, d] and centred second moments M2 = sum_k (x_k - mean)(x_k - mean)^T as full [P, d, d]
   * matrices (only the lower triangle is read). Same Chan update as `add`; validates everything
   * before changing anything.
   */
  addMoments(
    count: number,
    mean: Float32Array | Float64Array,
    m2: Float32Array | Float64Array,
  ): void {
    assertInteger('addMoments: count', count, 1);
    const d = this.dims;
    const positions = this.positions;
    assertLength('addMoments: mean', mean.length, positions * d);
    assertLength('addMoments: m2', m2.length, positions * d * d);
    assertFinite('addMoments: mean', mean);
    assertFinite('addMoments: m2', m2);
    const nA = this.n;
    const n = nA + count;
    const c = (nA * count) / n;
    const w = count / n;
    const tri = packedSize(d);
    const delta = new Float64Array(d);
    for (let p = 0; p < positions; p++) {
      const mo = p * d;
      for (let i = 0; i < d; i++) delta[i] = mean[mo + i] - this.meanData[mo + i];
      const base = p * tri;
      const full = p * d * d;
      for (let i = 0; i < d; i++) {
        const row = base + packedIndex(i, 0);
        const ci = c * delta[i];
        const src = full + i * d;
        for (let j = 0; j <= i; j++) this.m2Data[row + j] += m2[src + j] + ci * delta[j];
      }
      if (nA > 0) {
        for (let i = 0; i < d; i++) this.meanData[mo + i] += delta[i] * w;
      } else {
        for (let i = 0; i < d; i++) this.meanData[mo + i] = mean[mo + i];
      }
    }
    this.n = n;
  }

  /** Exact combination of two fits over disjoint sample sets; neither input changes. */
  merge(other: GaussianAccumulator): GaussianAccumulator {
    if (other.dims !== this.dims || other.height !== this.height || other.width !== this.width) {
      throw new PadimError(
        PadimErrorCode.SHAPE_MISMATCH,
        `GaussianAccumulator.merge: [${this.dims}, ${this.height}, ${this.width}] vs [${other.dims}, ${other.height}, ${other.width}]`,
      );
    }
    const out = GaussianAccumulator.fromState(this.state());
    const nA = this.n;
    const nB = other.n;
    if (nB === 0) return out;
    if (nA === 0) return GaussianAccumulator.fromState(other.state());
    const n = nA + nB;
    const d = this.dims;
    const tri = packedSize(d);
    const c = (nA * nB) / n;
    const delta = new Float64Array(d);
    for (let p = 0; p < this.positions; p++) {
      for (let i = 0; i < d; i++) delta[i] = other.meanData[p * d + i] - this.meanData[p * d + i];
      for (let i = 0; i < d; i++) {
        const base = p * tri + packedIndex(i, 0);
        for (let j = 0; j <= i; j++) {
          out.m2Data[base + j] += other.m2Data[base + j] + c * delta[i] * delta[j];
        }
      }
      for (let i = 0; i < d; i++) out.meanData[p * d + i] += (delta[i] * nB) / n;
    }
    out.n = n;
    return out;
  }

  /**
   * Sigma_p = M2_p / (N - 1) + eps I as a full d x d float64 matrix (paper, Eq. 1).
   * Throws INSUFFICIENT_SAMPLES for N < 2 (the unbiased covariance is undefined).
   */
  covariance(position: number, eps = EPSILON): Float64Array {
    this.checkFinalizable(eps);
    assertInteger('position', position, 0, this.positions - 1);
    const d = this.dims;
    const out = new Float64Array(d * d);
    this.writeCovariance(position, eps, out);
    return out;
  }

  /** The mean of one position as float64 [d]. */
  meanAt(position: number): Float64Array {
    assertInteger('position', position, 0, this.positions - 1);
    return this.meanData.slice(position * this.dims, (position + 1) * this.dims);
  }

  /**
   * Mean and precision factor for scoring (see GaussianModel). Throws INSUFFICIENT_SAMPLES for
   * N < 2 and NOT_POSITIVE_DEFINITE (naming the position) when eps is too small for N <= d.
   */
  finalize(options: FinalizeOptions = {}): GaussianModel {
    const eps = options.eps ?? EPSILON;
    this.checkFinalizable(eps);
    const d = this.dims;
    const dd = d * d;
    const positions = this.positions;
    const cov = new Float64Array(dd);
    const inv = new Float64Array(dd);
    const precisionFactor = new Float32Array(positions * dd);
    for (let p = 0; p < positions; p++) {
      this.writeCovariance(p, eps, cov);
      try {
        choleskyInPlace(cov, d);
      } catch (error) {
        if (error instanceof PadimError) {
          const y = Math.floor(p / this.width);
          const x = p % this.width;
          throw new PadimError(
            PadimErrorCode.NOT_POSITIVE_DEFINITE,
            `covariance at position ${p} (y=${y}, x=${x}) is singular: ${this.n} samples of ${d} dims with eps=${eps}; use eps > 0`,
          );
        }
        throw error;
      }
      invertLowerTriangular(cov, d, inv); // C^-1, lower
      // L = C^-T: L[i][j] = Cinv[j][i], upper triangular.
      const base = p * dd;
      for (let i = 0; i < d; i++) {
        for (let j = i; j < d; j++) precisionFactor[base + i * d + j] = inv[j * d + i];
      }
    }
    return {
      height: this.height,
      width: this.width,
      dims: d,
      count: this.n,
      eps,
      mean: Float32Array.from(this.meanData),
      precisionFactor,
    };
  }

  private checkFinalizable(eps: number): void {
    if (!Number.isFinite(eps) || eps < 0) {
      throw new PadimError(
        PadimErrorCode.INVALID_ARGUMENT,
        `eps must be finite and >= 0, got ${eps}`,
      );
    }
    if (this.n < 2) {
      throw new PadimError(
        PadimErrorCode.INSUFFICIENT_SAMPLES,
        `the covariance needs at least 2 training images (1/(N-1) normalisation), got ${this.n}`,
      );
    }
  }

  private writeCovariance(p: number, eps: number, out: Float64Array): void {
    const d = this.dims;
    const base = p * packedSize(d);
    const scale = 1 / (this.n - 1);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j <= i; j++) {
        const v = this.m2Data[base + packedIndex(i, j)] * scale;
        out[i * d + j] = v;
        out[j * d + i] = v;
      }
      out[i * d + i] += eps;
    }
  }
}

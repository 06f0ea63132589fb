import { PadimError, PadimErrorCode } from './errors.js';
import type { GaussianModel } from './gaussian.js';
import type { FeatureMaps, Maps } from './tensor.js';
import { expectRank } from './tensor.js';

/**
 * Mahalanobis distance map (paper, Eq. 2): M(x_p) = sqrt((x_p - mu_p)^T Sigma_p^-1 (x_p - mu_p))
 * = |L_p^T (x_p - mu_p)| for every image b and position p of embeddings [B, d, H, W]; returns
 * [B, H, W]. The CPU reference: exact (float64 accumulation) and readable. The ONNX detector of
 * packages/inference computes the same as one batched MatMul and must agree with this.
 */
export function mahalanobisMaps(embedding: FeatureMaps, model: GaussianModel): Maps {
  expectRank('mahalanobisMaps: embedding', embedding, 4);
  const [batch, d, h, w] = embedding.shape;
  if (d !== model.dims || h !== model.height || w !== model.width) {
    throw new PadimError(
      PadimErrorCode.SHAPE_MISMATCH,
      `mahalanobisMaps: model expects [B, ${model.dims}, ${model.height}, ${model.width}], got [${embedding.shape.join(', ')}]`,
    );
  }
  const positions = h * w;
  const dd = d * d;
  const x = embedding.data;
  const out = new Float32Array(batch * positions);
  const diff = new Float64Array(d);
  const y = new Float64Array(d);
  for (let b = 0; b < batch; b++) {
    for (let p = 0; p < positions; p++) {
      for (let i = 0; i < d; i++) diff[i] = x[(b * d + i) * positions + p] - model.mean[p * d + i];
      y.fill(0);
      const base = p * dd;
      // y = L^T diff, L upper triangular: y_j = sum_{i <= j} L[i][j] diff_i.
      for (let i = 0; i < d; i++) {
        const di = diff[i];
        const row = base + i * d;
        for (let j = i; j < d; j++) y[j] += model.precisionFactor[row + j] * di;
      }
      let m2 = 0;
      for (let j = 0; j < d; j++) m2 += y[j] * y[j];
      out[b * positions + p] = Math.sqrt(m2);
    }
  }
  return { data: out, shape: [batch, h, w] };
}

import { gaussianKernel1d, reflectIndex, resizeTable, type ResizeMode } from '@padim/core';

/**
 * The anomaly map's resize-then-blur along one axis as one matrix. Both steps of core's
 * `anomalyMaps` are linear and separable: F.interpolate(mode, align_corners=False) is a matrix
 * R [out, in] per axis and scipy's gaussian_filter (mode 'reflect') a matrix G [out, out] per axis,
 * so map = (G_h R_h) D (G_w R_w)^T: two MatMuls in the detector graph instead of a Resize and two
 * 33-tap convolutions with reflect padding.
 *
 * Returns A = G R as a row-major float64 [outSize, inSize] matrix. G's rows are the 1-D kernel of
 * {@link gaussianKernel1d} (radius int(truncate * sigma + 0.5)) folded back at the borders with
 * {@link reflectIndex}, exactly as core's blur reads the map; R's rows are {@link resizeTable}.
 */
export function anomalyMapOperator(
  inSize: number,
  outSize: number,
  mode: ResizeMode,
  sigma: number,
): Float64Array {
  const table = resizeTable(inSize, outSize, mode);
  const kernel = gaussianKernel1d(sigma);
  const radius = (kernel.length - 1) / 2;
  const out = new Float64Array(outSize * inSize);
  for (let y = 0; y < outSize; y++) {
    const row = y * inSize;
    for (let t = 0; t < kernel.length; t++) {
      // Blurred row y reads resized row reflect(y + t - r) with weight k[t]; that resized row is
      // sum_k weight * in[index].
      const source = reflectIndex(y + t - radius, outSize) * table.taps;
      const kt = kernel[t]!;
      for (let k = 0; k < table.taps; k++) {
        const col = table.index[source + k]!;
        out[row + col] = out[row + col]! + kt * table.weight[source + k]!;
      }
    }
  }
  return out;
}

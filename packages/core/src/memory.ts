/**
 * Memory planning for a PaDiM model, before any training: how large the learned statistics, the
 * training accumulator and the scoring buffers will be for a backbone, layer set, d and image size.
 *
 * PaDiM (Defard et al. 2020) stores per patch position p a mean mu_p [d] and the inverse covariance
 * Sigma_p^-1 [d, d]; this codebase stores a triangular precision factor L_p with
 * Sigma_p^-1 = L_p L_p^T (same byte count as Sigma_p^-1 when kept square): [P, d, d], or
 * [P, d(d+1)/2] when only its triangle is packed. Positions P = gridHeight * gridWidth, the grid being the resolution of the first (finest)
 * layer used: ceil(imageSize / stride). Counts are exact byte counts of the tensor payloads.
 */
import { BACKBONES, type BackboneName, type BackboneSpec } from './backbones.js';
import { CROP_SIZE } from './constants.js';
import { PadimError, PadimErrorCode, assertInteger } from './errors.js';

/** Element type of the stored precision factor. The mean is always fp32. */
export type FactorPrecision = 'fp32' | 'fp16';
/**
 * 'full': [P, d, d] (the triangular factor stored square, zeros included, as GaussianModel keeps
 * it); 'packed': only its non-zero triangle, [P, d(d+1)/2].
 */
export type FactorLayout = 'full' | 'packed';

export interface MemoryPlanInput {
  readonly backbone: BackboneName | BackboneSpec;
  /** Layer names to concatenate; default all layers of the backbone. */
  readonly layers?: readonly string[];
  /** Reduced dimensions kept per position (random channel selection); default all channels. */
  readonly d?: number;
  /** Input image side (square) or explicit size; default CROP_SIZE (224). */
  readonly imageSize?: number | { readonly height: number; readonly width: number };
  /** Default 'fp32'. */
  readonly precision?: FactorPrecision;
  /** Default 'full'. */
  readonly layout?: FactorLayout;
  /** Images scored together, for `scoring`; default 1. */
  readonly batchSize?: number;
}

/**
 * Transient buffers for scoring one batch of B images (the model itself excluded), assuming the
 * pipeline of the paper: backbone features -> upsample and concatenate to the grid -> select d
 * channels -> Mahalanobis distance per position -> upsample to the image -> Gaussian blur. The
 * distance is evaluated one position at a time, so fp16 factors are widened element by element.
 */
export interface ScoringWorkingSet {
  readonly batchSize: number;
  /** fp32 feature maps of the used layers at native resolution: B * sum_l C_l * ceil(H/s_l) * ceil(W/s_l) * 4. */
  readonly featureBytes: number;
  /** fp32 concatenated embedding [B, C, gridH, gridW]. */
  readonly embeddingBytes: number;
  /** fp32 selected channels [B, d, gridH, gridW]. */
  readonly reducedBytes: number;
  /** fp32 per-position scratch: centred vector and its transform, [B, 2, d]. */
  readonly scratchBytes: number;
  /** fp32 distance maps [B, gridH, gridW]. */
  readonly distanceBytes: number;
  /** fp32 anomaly maps at image size plus the blur's intermediate: [2, B, H, W]. */
  readonly anomalyMapBytes: number;
  /** Sum of the above: peak if every buffer is alive at once (an upper bound). */
  readonly totalBytes: number;
}

export interface MemoryPlan {
  /** The layers used, in network order. */
  readonly layers: readonly string[];
  /** Total channels C of the used layers (the embedding size before reduction). */
  readonly channels: number;
  readonly d: number;
  /** Stride of the finest used layer; the grid is ceil(image / stride). */
  readonly stride: number;
  readonly gridHeight: number;
  readonly gridWidth: number;
  /** P = gridHeight * gridWidth. */
  readonly positions: number;
  readonly precision: FactorPrecision;
  readonly layout: FactorLayout;
  /** fp32 means [P, d]: P * d * 4. */
  readonly meanBytes: number;
  /** Precision factor: P * d * d (full) or P * d(d+1)/2 (packed), times 4 (fp32) or 2 (fp16). */
  readonly precisionBytes: number;
  /**
   * meanBytes + precisionBytes: the tensor payload of a stored model. A file adds its header and
   * the d channel indices, a few kilobytes.
   */
  readonly modelBytes: number;
  /** Training accumulator, float64: sample count (1) + sums [P, d] + packed second moments [P, d(d+1)/2]. */
  readonly accumulatorBytes: number;
  readonly scoring: ScoringWorkingSet;
}

function invalid(message: string): PadimError {
  return new PadimError(PadimErrorCode.INVALID_ARGUMENT, `planMemory: ${message}`);
}

/** a * b * ..., refusing results that a double cannot count exactly. */
function product(...factors: number[]): number {
  let p = 1;
  for (const f of factors) p *= f;
  if (!Number.isSafeInteger(p)) throw invalid(`byte count ${p} exceeds Number.MAX_SAFE_INTEGER`);
  return p;
}

function sum(...terms: number[]): number {
  const s = terms.reduce((a, b) => a + b, 0);
  if (!Number.isSafeInteger(s)) throw invalid(`byte count ${s} exceeds Number.MAX_SAFE_INTEGER`);
  return s;
}

function resolveBackbone(backbone: BackboneName | BackboneSpec): Required<BackboneSpec> {
  if (typeof backbone === 'string') {
    if (!Object.hasOwn(BACKBONES, backbone)) {
      throw invalid(
        `unknown backbone "${backbone}" (known: ${Object.keys(BACKBONES).join(', ')}, or pass {channels, strides})`,
      );
    }
    return BACKBONES[backbone];
  }
  if (typeof backbone !== 'object' || backbone === null)
    throw invalid('backbone must be a name or {channels, strides}');
  const { channels, strides } = backbone;
  if (!Array.isArray(channels) || !Array.isArray(strides) || channels.length === 0) {
    throw invalid('a custom backbone needs non-empty channels and strides arrays');
  }
  if (strides.length !== channels.length) {
    throw invalid(`custom backbone: ${channels.length} channels but ${strides.length} strides`);
  }
  channels.forEach((c, i) => assertInteger(`planMemory: channels[${i}]`, c, 1));
  strides.forEach((s, i) => assertInteger(`planMemory: strides[${i}]`, s, 1));
  const layerNames = backbone.layerNames ?? channels.map((_, i) => `layer${i + 1}`);
  if (layerNames.length !== channels.length) {
    throw invalid(
      `custom backbone: ${channels.length} channels but ${layerNames.length} layer names`,
    );
  }
  if (new Set(layerNames).size !== layerNames.length)
    throw invalid('custom backbone: duplicate layer names');
  return { channels, strides, layerNames };
}

/**
 * Plans the memory of a PaDiM model before training.
 *
 * @example ResNet18, d = 100, 224 x 224, fp32 full: P = 56 * 56 = 3136, precisionBytes =
 *   3136 * 100 * 100 * 4 = 125,440,000 ("125.4 MB"); Wide-ResNet50-2 with d = 550: 3,794,560,000.
 * @throws PadimError INVALID_ARGUMENT for an unknown backbone or layer, a duplicate layer, d not an
 *   integer in [1, C], a non-positive or non-integer size or batch, an unknown precision or layout,
 *   or a byte count beyond Number.MAX_SAFE_INTEGER. The input is not modified.
 */
export function planMemory(input: MemoryPlanInput): MemoryPlan {
  const spec = resolveBackbone(input.backbone);

  const requested = input.layers ?? spec.layerNames;
  if (!Array.isArray(requested) || requested.length === 0)
    throw invalid('layers must be a non-empty array');
  const used = new Set<number>();
  for (const name of requested) {
    const index = spec.layerNames.indexOf(name);
    if (index < 0) {
      throw invalid(`unknown layer "${String(name)}" (known: ${spec.layerNames.join(', ')})`);
    }
    if (used.has(index)) throw invalid(`layer "${name}" is listed twice`);
    used.add(index);
  }
  const indices = [...used].sort((a, b) => a - b);
  const channels = sum(...indices.map((i) => spec.channels[i] as number));
  const stride = Math.min(...indices.map((i) => spec.strides[i] as number));

  const d = input.d ?? channels;
  assertInteger('planMemory: d (at most the total channels of the used layers)', d, 1, channels);

  const size = input.imageSize ?? CROP_SIZE;
  const height = typeof size === 'number' ? size : size.height;
  const width = typeof size === 'number' ? size : size.width;
  assertInteger('planMemory: image height', height, 1);
  assertInteger('planMemory: image width', width, 1);

  const precision = input.precision ?? 'fp32';
  if (precision !== 'fp32' && precision !== 'fp16') {
    throw invalid(`precision must be 'fp32' or 'fp16', got ${String(precision)}`);
  }
  const layout = input.layout ?? 'full';
  if (layout !== 'full' && layout !== 'packed') {
    throw invalid(`layout must be 'full' or 'packed', got ${String(layout)}`);
  }
  const batchSize = input.batchSize ?? 1;
  assertInteger('planMemory: batchSize', batchSize, 1);

  const gridHeight = Math.ceil(height / stride);
  const gridWidth = Math.ceil(width / stride);
  const positions = product(gridHeight, gridWidth);
  const triangle = product(d, d + 1) / 2;

  const meanBytes = product(positions, d, 4);
  const precisionBytes = product(
    positions,
    layout === 'full' ? d * d : triangle,
    precision === 'fp32' ? 4 : 2,
  );
  const accumulatorBytes = product(8, sum(1, product(positions, d), product(positions, triangle)));

  const B = batchSize;
  const featureBytes = sum(
    ...indices.map((i) => {
      const s = spec.strides[i] as number;
      return product(B, spec.channels[i] as number, Math.ceil(height / s), Math.ceil(width / s), 4);
    }),
  );
  const embeddingBytes = product(B, channels, positions, 4);
  const reducedBytes = product(B, d, positions, 4);
  const scratchBytes = product(B, 2, d, 4);
  const distanceBytes = product(B, positions, 4);
  const anomalyMapBytes = product(2, B, height, width, 4);

  return {
    layers: indices.map((i) => spec.layerNames[i] as string),
    channels,
    d,
    stride,
    gridHeight,
    gridWidth,
    positions,
    precision,
    layout,
    meanBytes,
    precisionBytes,
    modelBytes: sum(meanBytes, precisionBytes),
    accumulatorBytes,
    scoring: {
      batchSize: B,
      featureBytes,
      embeddingBytes,
      reducedBytes,
      scratchBytes,
      distanceBytes,
      anomalyMapBytes,
      totalBytes: sum(
        featureBytes,
        embeddingBytes,
        reducedBytes,
        scratchBytes,
        distanceBytes,
        anomalyMapBytes,
      ),
    },
  };
}

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'] as const;

/**
 * A byte count for people: SI units (1 kB = 1000 B), one decimal above 1000 bytes.
 * 125_440_000 -> "125.4 MB", 3_794_560_000 -> "3.8 GB", 512 -> "512 B", 999_960 -> "1.0 MB".
 *
 * @throws PadimError INVALID_ARGUMENT for a negative or non-finite count.
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) {
    throw new PadimError(
      PadimErrorCode.INVALID_ARGUMENT,
      `formatBytes: expected a byte count >= 0, got ${bytes}`,
    );
  }
  if (Math.round(bytes) < 1000) return `${Math.round(bytes)} B`;
  let unit = 1;
  let value = bytes / 1000;
  // Move up while the rounded value would print as 1000.0 or more (999_960 B is "1.0 MB").
  while (Math.round(value * 10) >= 10_000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${UNITS[unit]}`;
}

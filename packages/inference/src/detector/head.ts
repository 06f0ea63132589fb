import {
  PadimError,
  PadimErrorCode,
  assertInteger,
  nearestSourceIndex,
  type PadimModelFile,
} from '@padim/core';
import { OPSET_VERSION, TensorDataType, type GraphBuilder } from '../onnx/graph.js';
import { anomalyMapOperator } from './map-operator.js';

/** A feature map the head reads: [B, channels, height, width], float32. */
export interface TapSpec {
  /** Name of the value in the graph (a graph input, or a node output of the backbone). */
  readonly name: string;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
}

/** Alias of {@link TapSpec}. */
export type HeadTap = TapSpec;

/** A tap's shape without its name (appendHeadToModel takes the names separately). */
export type TapShape = Omit<TapSpec, 'name'>;

export interface HeadOptions {
  /** Size of the anomaly map: the network input's height and width (e.g. CROP_SIZE). */
  readonly imageHeight: number;
  readonly imageWidth: number;
  /**
   * Version of the default ONNX domain of the graph the head goes into; OPSET_VERSION by default.
   * It decides the form of the reductions: `axes` is an attribute before 18 and an input from 18.
   */
  readonly opset?: number;
  /** Prefix of every value name the head creates except its outputs; 'padim_head/' by default. */
  readonly prefix?: string;
  /** Name of the symbolic batch dimension of the outputs; 'batch' by default. */
  readonly batchDim?: string;
}

/** The names of the head's graph outputs. */
export const HEAD_OUTPUTS = {
  /** [B, H, W] Mahalanobis distance per patch position (paper, Eq. 2). */
  distance: 'distance',
  /** [B, imageHeight, imageWidth] the resized and blurred distance (paper, Sec. 3.3). */
  anomalyMap: 'anomaly_map',
  /** [B] the image score: the maximum of the anomaly map. */
  score: 'score',
} as const;

export const HEAD_PREFIX = 'padim_head/';

/** Oldest default-domain opset the head's nodes are valid in (numpy broadcasting of Sub). */
export const MIN_HEAD_OPSET = 7;

function invalid(message: string): PadimError {
  return new PadimError(PadimErrorCode.INVALID_ARGUMENT, `PaDiM head: ${message}`);
}

function mismatch(message: string): PadimError {
  return new PadimError(PadimErrorCode.SHAPE_MISMATCH, `PaDiM head: ${message}`);
}

/** How one level enters the patch embedding (see {@link embeddingPlan}). */
export interface LevelPlan {
  /** Local channels taken from this level, in embedding order; none: the level is not used. */
  readonly channels: readonly number[];
  /** True when `channels` is every channel of the level in order (no Gather needed). */
  readonly allChannels: boolean;
  /** Source row of each grid row (nearest), or undefined when the level is on the grid's rows. */
  readonly rows?: readonly number[];
  /** Source column of each grid column, or undefined when the level is on the grid's columns. */
  readonly cols?: readonly number[];
}

export interface EmbeddingPlan {
  readonly levels: readonly LevelPlan[];
  /**
   * Position in the level-order concatenation of each embedding channel, when the channels are not
   * in level order (unsorted indices); undefined otherwise.
   */
  readonly permutation?: readonly number[];
}

function nearestTable(inSize: number, outSize: number): number[] | undefined {
  if (inSize === outSize) return undefined;
  return Array.from({ length: outSize }, (_, i) => nearestSourceIndex(i, inSize, outSize));
}

/**
 * Core's `embed(levels, channels)` as Gathers: per level, the selected channels (axis 1), then
 * nearest upsampling to the first level's grid by column (axis 3) and row (axis 2) index tables
 * from core's nearestSourceIndex, i.e. PyTorch's F.interpolate(mode='nearest') exactly, where a
 * Resize would depend on the runtime's coordinate rounding; then Concat in level order. Steps
 * that would be identities are left out.
 */
export function embeddingPlan(
  taps: readonly TapShape[],
  channels: ArrayLike<number>,
): EmbeddingPlan {
  const { height, width } = taps[0]!;
  const firstChannel: number[] = [];
  let total = 0;
  for (const tap of taps) {
    firstChannel.push(total);
    total += tap.channels;
  }
  const levelOf = (c: number): number => {
    let l = taps.length - 1;
    while (firstChannel[l]! > c) l--;
    return l;
  };
  const local: number[][] = taps.map(() => []);
  for (let k = 0; k < channels.length; k++) {
    const c = channels[k]!;
    const l = levelOf(c);
    local[l]!.push(c - firstChannel[l]!);
  }
  // Where each global channel lands in the concatenation, to detect (and undo) reordering.
  const concatPosition = new Map<number, number>();
  let position = 0;
  local.forEach((list, l) =>
    list.forEach((c) => concatPosition.set(firstChannel[l]! + c, position++)),
  );
  const permutation = Array.from(channels, (c) => concatPosition.get(c)!);
  const ordered = permutation.every((p, k) => p === k);
  return {
    levels: taps.map((tap, l) => ({
      channels: local[l]!,
      allChannels: local[l]!.length === tap.channels && local[l]!.every((c, i) => c === i),
      rows: nearestTable(tap.height, height),
      cols: nearestTable(tap.width, width),
    })),
    permutation: ordered ? undefined : permutation,
  };
}

function validate(taps: readonly TapSpec[], model: PadimModelFile, options: HeadOptions): void {
  if (taps.length === 0) throw invalid('at least one tap is needed');
  taps.forEach((tap, i) => {
    assertInteger(`PaDiM head: tap ${i} (${tap.name}) channels`, tap.channels, 1);
    assertInteger(`PaDiM head: tap ${i} (${tap.name}) height`, tap.height, 1);
    assertInteger(`PaDiM head: tap ${i} (${tap.name}) width`, tap.width, 1);
  });
  assertInteger('PaDiM head: imageHeight', options.imageHeight, 1);
  assertInteger('PaDiM head: imageWidth', options.imageWidth, 1);
  const opset = options.opset ?? OPSET_VERSION;
  assertInteger('PaDiM head: opset', opset, MIN_HEAD_OPSET);

  const { gaussian, reduction, info } = model;
  const { height, width } = taps[0]!;
  if (gaussian.height !== height || gaussian.width !== width) {
    throw mismatch(
      `the model's grid is ${gaussian.height}x${gaussian.width}, the first tap's is ${height}x${width}`,
    );
  }
  const total = taps.reduce((s, t) => s + t.channels, 0);
  if (info.embeddingChannels !== total) {
    throw mismatch(
      `the model was fitted on ${info.embeddingChannels} embedding channels, the taps have ${total}`,
    );
  }
  const d = gaussian.dims;
  const positions = height * width;
  if (
    gaussian.mean.length !== positions * d ||
    gaussian.precisionFactor.length !== positions * d * d
  ) {
    throw mismatch(`mean / precision factor sizes do not match ${positions} positions x ${d} dims`);
  }
  if (reduction.kind === 'pca') {
    const { pca } = reduction;
    if (pca.inputDims !== total || pca.dims !== d) {
      throw mismatch(`PCA maps ${pca.inputDims} -> ${pca.dims} dims, expected ${total} -> ${d}`);
    }
  } else {
    const { indices } = reduction;
    if (indices.length !== d) throw mismatch(`${indices.length} channel indices for d = ${d}`);
    const seen = new Uint8Array(total);
    for (const c of indices) {
      if (c < 0 || c >= total) throw invalid(`channel index ${c} is outside [0, ${total})`);
      if (seen[c]) throw invalid(`channel index ${c} appears twice`);
      seen[c] = 1;
    }
  }
}

/**
 * Adds the PaDiM head (Defard et al. 2020) to a graph whose backbone produces `taps` (level order;
 * the first tap defines the patch grid H x W, P = H W). Outputs (see {@link HEAD_OUTPUTS}):
 * `distance` [B, H, W], `anomaly_map` [B, imageHeight, imageWidth] and `score` [B], with a symbolic
 * batch B. Equal to core's embed -> (projectEmbedding) -> mahalanobisMaps -> anomalyMaps ->
 * imageScores, computed as:
 *
 * 1. embedding [B, d, P] ({@link embeddingPlan}): per level a Gather of the selected channels and
 *    Gathers of nearest-neighbour columns and rows (exact PyTorch nearest, no Resize), Concat in
 *    level order; for PCA, all channels, then components [d, C] x (x - pca_mean) [B, C, P];
 * 2. Mahalanobis (Eq. 2): subtract mu^T [d, P], transpose to [P, B, d], MatMul with the precision
 *    factor L [P, d, d] (M^2 = |L^T (x - mu)|^2), ReduceSumSquare over d, Sqrt -> [P, B] -> [B, H, W];
 * 3. anomaly map (Sec. 3.3): A_h D A_w^T with A = blur x resize per axis ({@link anomalyMapOperator});
 * 4. score: ReduceMax over the map.
 *
 * Every value the head creates is named `${prefix}...`, so it cannot clash with the backbone's.
 */
export function addPadimHead(
  g: GraphBuilder,
  taps: readonly TapSpec[],
  model: PadimModelFile,
  options: HeadOptions,
): typeof HEAD_OUTPUTS {
  validate(taps, model, options);
  const opset = options.opset ?? OPSET_VERSION;
  const prefix = options.prefix ?? HEAD_PREFIX;
  const batch = options.batchDim ?? 'batch';
  const { gaussian, reduction, info } = model;
  const { height, width } = taps[0]!;
  const positions = height * width;
  const d = gaussian.dims;
  const { imageHeight, imageWidth } = options;

  const name = (what: string): string => `${prefix}${what}`;
  const int64 = (valueName: string, values: readonly number[]): string =>
    g.initializer(
      valueName,
      BigInt64Array.from(values, (v) => BigInt(v)),
      [values.length],
      TensorDataType.INT64,
    );
  const reduce = (op: string, x: string, axes: readonly number[], out: string): string =>
    opset >= 18
      ? g.op(op, [x, int64(name(`${op}_axes`), axes)], { keepdims: 0 }, out)
      : g.op(op, [x], { axes, keepdims: 0 }, out);

  // 1. Patch embedding [B, d, P] (or [B, C, P] before PCA).
  const total = taps.reduce((s, t) => s + t.channels, 0);
  const plan = embeddingPlan(
    taps,
    reduction.kind === 'pca' ? Int32Array.from({ length: total }, (_, c) => c) : reduction.indices,
  );
  const parts: string[] = [];
  plan.levels.forEach((level, l) => {
    if (level.channels.length === 0) return;
    // A Reshape to the declared shape (free in the runtime) makes a tap of another size an error
    // rather than a silently wrong gather.
    const tap = taps[l]!;
    let x = g.op(
      'Reshape',
      [tap.name, int64(name(`tap${l}_shape`), [0, tap.channels, tap.height, tap.width])],
      undefined,
      name(`tap${l}`),
    );
    if (!level.allChannels) {
      x = g.op(
        'Gather',
        [x, int64(name(`tap${l}_channels`), level.channels)],
        { axis: 1 },
        name(`tap${l}_selected`),
      );
    }
    // Columns first: that Gather copies single elements, so it runs on the map before it grows by
    // the row ratio; the row Gather after it copies whole rows.
    if (level.cols) {
      x = g.op(
        'Gather',
        [x, int64(name(`tap${l}_cols`), level.cols)],
        { axis: 3 },
        name(`tap${l}_upsampled_cols`),
      );
    }
    if (level.rows) {
      x = g.op(
        'Gather',
        [x, int64(name(`tap${l}_rows`), level.rows)],
        { axis: 2 },
        name(`tap${l}_upsampled`),
      );
    }
    parts.push(x);
  });
  let grid = parts.length === 1 ? parts[0]! : g.op('Concat', parts, { axis: 1 }, name('concat'));
  if (plan.permutation) {
    grid = g.op(
      'Gather',
      [grid, int64(name('channel_order'), plan.permutation)],
      { axis: 1 },
      name('reordered'),
    );
  }
  const channelsIn = reduction.kind === 'pca' ? total : d;
  let embedding = g.op(
    'Reshape',
    [grid, int64(name('embedding_shape'), [0, channelsIn, positions])],
    undefined,
    name('embedding_flat'),
  );
  if (reduction.kind === 'pca') {
    // y = V (x - pca_mean): [d, C] x [B, C, P] -> [B, d, P].
    const { pca } = reduction;
    const centred = g.op(
      'Sub',
      [embedding, g.initializer(name('pca_mean'), pca.mean, [total, 1])],
      undefined,
      name('embedding_centred'),
    );
    embedding = g.op(
      'MatMul',
      [g.initializer(name('pca_components'), pca.components, [d, total]), centred],
      undefined,
      name('embedding_pca'),
    );
  }

  // 2. Mahalanobis distance per position: |L_p^T (x_p - mu_p)|.
  // x - mu in [B, d, P] (mu^T [d, P] broadcast over the batch: one contiguous run per image), then
  // [P, B, d] for the batched MatMul.
  const meanT = new Float32Array(d * positions);
  for (let p = 0; p < positions; p++) {
    for (let k = 0; k < d; k++) meanT[k * positions + p] = gaussian.mean[p * d + k]!;
  }
  const centred = g.op(
    'Sub',
    [embedding, g.initializer(name('mean_t'), meanT, [d, positions])],
    undefined,
    name('centred'),
  );
  const diff = g.op('Transpose', [centred], { perm: [2, 0, 1] }, name('diff'));
  const projected = g.op(
    'MatMul',
    [diff, g.initializer(name('precision_factor'), gaussian.precisionFactor, [positions, d, d])],
    undefined,
    name('whitened'),
  );
  const squared = reduce('ReduceSumSquare', projected, [2], name('distance_squared'));
  const root = g.op('Sqrt', [squared], undefined, name('distance_by_position'));
  const perImage = g.op('Transpose', [root], { perm: [1, 0] }, name('distance_flat'));
  const distance = g.op(
    'Reshape',
    [perImage, int64(name('distance_shape'), [0, height, width])],
    undefined,
    HEAD_OUTPUTS.distance,
  );
  g.output(distance, HEAD_OUTPUTS.distance, [batch, height, width]);

  // 3. Anomaly map = A_h D A_w^T, in the cheaper order.
  const sigma = info.blurSigma;
  const rows = g.initializer(
    name('map_rows'),
    Float32Array.from(anomalyMapOperator(height, imageHeight, info.mapResize, sigma)),
    [imageHeight, height],
  );
  const colsOperator = anomalyMapOperator(width, imageWidth, info.mapResize, sigma);
  const colsT = new Float32Array(width * imageWidth); // A_w^T [W, imageWidth]
  for (let x = 0; x < imageWidth; x++) {
    for (let c = 0; c < width; c++) colsT[c * imageWidth + x] = colsOperator[x * width + c]!;
  }
  const cols = g.initializer(name('map_cols_t'), colsT, [width, imageWidth]);
  const rowsFirst = imageHeight * height * width + imageHeight * width * imageWidth;
  const colsFirst = height * width * imageWidth + imageHeight * height * imageWidth;
  const map =
    rowsFirst <= colsFirst
      ? g.op(
          'MatMul',
          [g.op('MatMul', [rows, distance], undefined, name('map_rows_applied')), cols],
          undefined,
          HEAD_OUTPUTS.anomalyMap,
        )
      : g.op(
          'MatMul',
          [rows, g.op('MatMul', [distance, cols], undefined, name('map_cols_applied'))],
          undefined,
          HEAD_OUTPUTS.anomalyMap,
        );
  g.output(map, HEAD_OUTPUTS.anomalyMap, [batch, imageHeight, imageWidth]);

  // 4. Image score.
  const score = reduce('ReduceMax', map, [1, 2], HEAD_OUTPUTS.score);
  g.output(score, HEAD_OUTPUTS.score, [batch]);
  return HEAD_OUTPUTS;
}

import {
  BLUR_SIGMA,
  EPSILON,
  GaussianAccumulator,
  PcaAccumulator,
  embed,
  embeddingChannels,
  projectEmbedding,
  randomChannelIndices,
  type FeatureMaps,
  type MapResize,
  type PadimModelFile,
  type PcaProjection,
  type Protocol,
  type Reduction,
} from '@padim/core';
import { preprocessBatch, type PreprocessOptions } from '../preprocess/index.js';
import type { FeatureExtractor, TapInfo } from './extractor.js';
import { MomentsAccumulator } from './moments.js';

export type ReductionRequest =
  /** d random dimensions; default DEFAULT_D, or all channels when there are fewer. */
  | { readonly kind: 'random'; readonly d?: number; readonly seed: number }
  | { readonly kind: 'pca'; readonly d: number }
  | { readonly kind: 'all' };

/** The paper's Rd100. */
export const DEFAULT_D = 100;

export interface FitOptions {
  readonly reduction: ReductionRequest;
  readonly protocol?: Protocol;
  readonly mapResize?: MapResize;
  readonly eps?: number;
  readonly batchSize?: number;
  readonly onProgress?: (p: FitProgress) => void;
  readonly signal?: AbortSignal;
  /** Continue from a checkpoint (the images it covered are skipped: `resume.imagesDone`). */
  readonly resume?: { readonly accumulator: GaussianAccumulator; readonly imagesDone: number };
  /** Called after every `checkpointEvery` batches with the accumulator so far. */
  readonly checkpoint?: (acc: GaussianAccumulator, imagesDone: number) => Promise<void>;
  readonly checkpointEvery?: number;
  /**
   * Where the per-position outer products run: 'onnx' (batched MatMul on onnxruntime, the default)
   * or 'core' (the TypeScript reference).
   */
  readonly accumulate?: 'onnx' | 'core';
}

export interface FitProgress {
  readonly phase: 'pca' | 'gaussian' | 'finalize';
  readonly done: number;
  readonly total: number;
}

export interface FitResult {
  readonly model: PadimModelFile;
  /**
   * The float64 (N, mean, M2) accumulator the model was finalised from: saved beside the model, it
   * lets later images (reviewed false positives) fold in without re-reading the training set.
   */
  readonly accumulator: GaussianAccumulator;
  readonly taps: readonly TapInfo[];
  readonly imageSize: number;
  readonly timings: {
    readonly extractMs: number;
    readonly accumulateMs: number;
    readonly finalizeMs: number;
  };
}

export class FitCancelledError extends Error {
  override readonly name = 'FitCancelledError';
  constructor(readonly imagesDone: number) {
    super(`fit cancelled after ${imagesDone} images`);
  }
}

/** Reads image bytes by index; lets the pipeline stream from disk or an object store. */
export type ImageSource = { readonly count: number; read(index: number): Promise<Uint8Array> };

function imageSizeFor(protocol: Protocol): number {
  return protocol === 'stc' ? 256 : 224;
}

/**
 * Iterates preprocessed batches, decoding batch k+1 while the backbone runs on batch k.
 */
async function* batches(
  source: ImageSource,
  from: number,
  batchSize: number,
  options: PreprocessOptions,
): AsyncGenerator<{ start: number; count: number; data: Float32Array }> {
  const load = async (start: number) => {
    const count = Math.min(batchSize, source.count - start);
    const bytes = await Promise.all(
      Array.from({ length: count }, (_, i) => source.read(start + i)),
    );
    return { start, count, data: await preprocessBatch(bytes, options) };
  };
  // The next batch decodes while the current one runs; its failure is reported when it is awaited,
  // so it must not count as an unhandled rejection in the meantime (Node would exit).
  const prefetch = (start: number) => {
    const p = load(start);
    p.catch(() => undefined);
    return p;
  };
  let next = from < source.count ? prefetch(from) : undefined;
  for (let start = from; start < source.count; start += batchSize) {
    const current = await next!;
    next = start + batchSize < source.count ? prefetch(start + batchSize) : undefined;
    yield current;
  }
}

/**
 * Streams the training images through the backbone and the per-position Gaussian (paper, Sec. 3.2).
 * Memory is independent of the number of images; `signal` cancels between batches; a checkpoint
 * callback and `resume` make long fits restartable.
 */
export async function fitPadim(
  extractor: FeatureExtractor,
  source: ImageSource,
  options: FitOptions,
): Promise<FitResult> {
  const protocol = options.protocol ?? 'mvtec';
  const size = imageSizeFor(protocol);
  const batchSize = options.batchSize ?? 8;
  const pre: PreprocessOptions = { protocol, normalization: extractor.description.normalization };
  const already = options.resume?.accumulator.count ?? 0;
  if (already + source.count - (options.resume?.imagesDone ?? 0) < 2)
    throw new RangeError(`a fit needs at least 2 training images, got ${already + source.count}`);
  let extractMs = 0;
  let accumulateMs = 0;

  const extract = async (data: Float32Array) => {
    const t = performance.now();
    const taps = await extractor.extract(data, size);
    extractMs += performance.now() - t;
    return taps;
  };
  const tapInfo = (levels: FeatureMaps[]): TapInfo[] =>
    levels.map((l, i) => ({
      name: extractor.description.layers[i]!,
      channels: l.shape[1],
      height: l.shape[2],
      width: l.shape[3],
    }));
  const checkCancel = (done: number) => {
    if (options.signal?.aborted) throw new FitCancelledError(done);
  };

  // PCA needs a first pass over the data to find the axes.
  let pca: PcaProjection | undefined;
  if (options.reduction.kind === 'pca') {
    let pcaAcc: PcaAccumulator | undefined;
    for await (const b of batches(source, 0, batchSize, pre)) {
      checkCancel(b.start);
      const levels = await extract(b.data);
      const t = performance.now();
      const full = embed(levels);
      pcaAcc ??= new PcaAccumulator(full.shape[1]);
      pcaAcc.add(full);
      accumulateMs += performance.now() - t;
      options.onProgress?.({ phase: 'pca', done: b.start + b.count, total: source.count });
    }
    pca = pcaAcc!.fit(options.reduction.d);
  }

  let acc = options.resume?.accumulator;
  let moments: MomentsAccumulator | undefined;
  let reduction: Reduction | undefined;
  let taps: TapInfo[] | undefined;
  let sinceCheckpoint = 0;
  const from = options.resume?.imagesDone ?? 0;
  try {
    for await (const b of batches(source, from, batchSize, pre)) {
      checkCancel(b.start);
      const levels = await extract(b.data);
      const t = performance.now();
      taps ??= tapInfo(levels);
      if (!reduction) {
        const total = embeddingChannels(levels);
        const r = options.reduction;
        reduction =
          r.kind === 'pca'
            ? { kind: 'pca', pca: pca! }
            : r.kind === 'random'
              ? {
                  kind: 'random',
                  seed: r.seed,
                  indices: randomChannelIndices(total, r.d ?? Math.min(DEFAULT_D, total), r.seed),
                }
              : { kind: 'all', indices: Int32Array.from({ length: total }, (_, i) => i) };
      }
      const embedding =
        reduction.kind === 'pca'
          ? projectEmbedding(embed(levels), reduction.pca)
          : embed(levels, reduction.indices);
      acc ??= GaussianAccumulator.create(
        embedding.shape[2],
        embedding.shape[3],
        embedding.shape[1],
      );
      if ((options.accumulate ?? 'onnx') === 'onnx') {
        moments ??= await MomentsAccumulator.open(acc.dims, acc.height, acc.width, {
          providers: ['cpu'],
        });
        await moments.add(acc, embedding);
      } else {
        acc.add(embedding);
      }
      accumulateMs += performance.now() - t;
      const done = b.start + b.count;
      options.onProgress?.({ phase: 'gaussian', done, total: source.count });
      if (
        options.checkpoint &&
        ++sinceCheckpoint >= (options.checkpointEvery ?? 10) &&
        done < source.count
      ) {
        sinceCheckpoint = 0;
        await moments?.flush(acc);
        await options.checkpoint(acc, done);
      }
    }
    if (acc) await moments?.flush(acc);
  } finally {
    await moments?.release();
  }
  if (!acc || !reduction || !taps) {
    // Resumed past the end: re-derive the taps from one image so the detector can be built.
    const first = await preprocessBatch([await source.read(0)], pre);
    const levels = await extract(first);
    taps = tapInfo(levels);
    if (!acc) throw new RangeError('nothing to fit');
    reduction ??= reductionFromAccumulator(options.reduction, embeddingChannels(levels), pca);
  }

  options.onProgress?.({ phase: 'finalize', done: source.count, total: source.count });
  const t = performance.now();
  const gaussian = acc.finalize({ eps: options.eps ?? EPSILON });
  const finalizeMs = performance.now() - t;
  const d = extractor.description;
  const model: PadimModelFile = {
    info: {
      backbone: d.backbone,
      weights: d.weights,
      weightsSha256: d.weightsSha256,
      layers: d.layers,
      embeddingChannels: taps.reduce((s, tap) => s + tap.channels, 0),
      imageSize: size,
      protocol,
      mapResize: options.mapResize ?? 'bicubic',
      blurSigma: BLUR_SIGMA,
    },
    reduction,
    gaussian,
  };
  return {
    model,
    accumulator: acc,
    taps,
    imageSize: size,
    timings: { extractMs, accumulateMs, finalizeMs },
  };
}

function reductionFromAccumulator(
  r: ReductionRequest,
  total: number,
  pca: PcaProjection | undefined,
): Reduction {
  if (r.kind === 'pca') return { kind: 'pca', pca: pca! };
  if (r.kind === 'random') {
    return {
      kind: 'random',
      seed: r.seed,
      indices: randomChannelIndices(total, r.d ?? Math.min(DEFAULT_D, total), r.seed),
    };
  }
  return { kind: 'all', indices: Int32Array.from({ length: total }, (_, i) => i) };
}

import { PadimError, PadimErrorCode, assertFinite, assertInteger } from './errors.js';
import { float16BitsToFloat32, float32ToFloat16Bits } from './float16.js';
import type { GaussianAccumulatorState, GaussianModel } from './gaussian.js';
import { GaussianAccumulator } from './gaussian.js';
import { packedSize } from './linalg.js';
import type { PcaProjection } from './pca.js';
import type { SafetensorsTensor } from './safetensors.js';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';

/**
 * A trained PaDiM model as a file: safetensors, readable from Python with numpy or torch. Everything
 * a score depends on is in it (style: persist the random indices, not only the seed; eps; the
 * backbone and its weights hash; image size and protocol; format version).
 *
 * Tensors:
 *   mean                     F32 [P, d]
 *   precision_factor         F32|F16 [P, d, d]              (layout 'full': L, upper triangular)
 *   precision_factor_packed  F32|F16 [P, d(d+1)/2]          (layout 'packed': L's upper triangle, row by row)
 *   channel_indices          I64 [d]                        (random selection or all channels)
 *   pca_mean, pca_components, pca_explained_variance       (PCA reduction: F32 [C], F32 [d, C], F64 [d])
 * Metadata: format, format_version and the fields of PadimModelInfo (see encodeModelFile).
 */
export const MODEL_FILE_FORMAT = 'padim-model';
export const MODEL_FILE_VERSION = 1;
export const ACCUMULATOR_FILE_FORMAT = 'padim-accumulator';

export type Protocol = 'mvtec' | 'stc';
export type MapResize = 'bicubic' | 'bilinear';
export type Reduction =
  | { readonly kind: 'random'; readonly seed: number; readonly indices: Int32Array }
  | { readonly kind: 'all'; readonly indices: Int32Array }
  | { readonly kind: 'pca'; readonly pca: PcaProjection };

/** What the feature extractor and the image pipeline were: needed to reproduce any score. */
export interface PadimModelInfo {
  /** Backbone architecture, e.g. 'resnet18', 'wide_resnet50_2', 'custom'. */
  readonly backbone: string;
  /** Where the weights came from, e.g. 'imagenet', 'random-init (seed 0): not for real use'. */
  readonly weights: string;
  /** sha256 (hex) of the weights file or custom ONNX file; '' when generated (random-init). */
  readonly weightsSha256: string;
  /** Feature tap names in level order, e.g. ['layer1', 'layer2', 'layer3']. */
  readonly layers: readonly string[];
  /** Channels of the full concatenated embedding before reduction (448 for ResNet18 layer1..3). */
  readonly embeddingChannels: number;
  /** Side of the square CNN input (224 for the MVTec protocol, 256 for STC). */
  readonly imageSize: number;
  readonly protocol: Protocol;
  readonly mapResize: MapResize;
  readonly blurSigma: number;
}

export interface PadimModelFile {
  readonly info: PadimModelInfo;
  readonly reduction: Reduction;
  readonly gaussian: GaussianModel;
}

export interface EncodeModelOptions {
  /** Storage precision of the precision factor (the mean is always fp32). Default 'fp32'. */
  readonly precision?: 'fp32' | 'fp16';
  /** 'full' [P, d, d] or 'packed' upper triangle [P, d(d+1)/2] (about half the bytes). Default 'full'. */
  readonly layout?: 'full' | 'packed';
}

function malformed(message: string): PadimError {
  return new PadimError(PadimErrorCode.MALFORMED_DATA, `model file: ${message}`);
}

/** Serialises a model; the result round-trips through decodeModelFile. */
export function encodeModelFile(
  model: PadimModelFile,
  options: EncodeModelOptions = {},
): Uint8Array {
  const { info, reduction, gaussian } = model;
  const precision = options.precision ?? 'fp32';
  const layout = options.layout ?? 'full';
  const { dims: d, height, width } = gaussian;
  const positions = height * width;

  let factor: Float32Array = gaussian.precisionFactor;
  if (layout === 'packed') {
    factor = new Float32Array(positions * packedSize(d));
    let k = 0;
    for (let p = 0; p < positions; p++)
      for (let i = 0; i < d; i++)
        for (let j = i; j < d; j++) factor[k++] = gaussian.precisionFactor[(p * d + i) * d + j];
  }
  const factorShape = layout === 'packed' ? [positions, packedSize(d)] : [positions, d, d];
  const factorTensor: SafetensorsTensor =
    precision === 'fp16'
      ? { dtype: 'F16', shape: factorShape, data: float32ToFloat16Bits(factor) }
      : { dtype: 'F32', shape: factorShape, data: factor };

  const tensors: Record<string, SafetensorsTensor> = {
    mean: { dtype: 'F32', shape: [positions, d], data: gaussian.mean },
    [layout === 'packed' ? 'precision_factor_packed' : 'precision_factor']: factorTensor,
  };
  if (reduction.kind === 'pca') {
    const { pca } = reduction;
    tensors.pca_mean = { dtype: 'F32', shape: [pca.inputDims], data: pca.mean };
    tensors.pca_components = {
      dtype: 'F32',
      shape: [pca.dims, pca.inputDims],
      data: pca.components,
    };
    tensors.pca_explained_variance = {
      dtype: 'F64',
      shape: [pca.dims],
      data: pca.explainedVariance,
    };
  } else {
    tensors.channel_indices = {
      dtype: 'I64',
      shape: [reduction.indices.length],
      data: BigInt64Array.from(reduction.indices, (v) => BigInt(v)),
    };
  }
  const metadata: Record<string, string> = {
    format: MODEL_FILE_FORMAT,
    format_version: String(MODEL_FILE_VERSION),
    backbone: info.backbone,
    weights: info.weights,
    weights_sha256: info.weightsSha256,
    layers: info.layers.join(','),
    embedding_channels: String(info.embeddingChannels),
    image_size: String(info.imageSize),
    protocol: info.protocol,
    map_resize: info.mapResize,
    blur_sigma: String(info.blurSigma),
    reduction: reduction.kind,
    seed: reduction.kind === 'random' ? String(reduction.seed) : '',
    dims: String(d),
    grid_height: String(height),
    grid_width: String(width),
    count: String(gaussian.count),
    eps: String(gaussian.eps),
    precision,
    layout,
  };
  return encodeSafetensors(tensors, metadata);
}

function metaNumber(meta: Record<string, string>, key: string, integer = true): number {
  const raw = meta[key];
  if (raw === undefined || raw === '') throw malformed(`metadata "${key}" is missing`);
  const value = Number(raw);
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw malformed(`metadata "${key}" is not a ${integer ? 'whole ' : ''}number: ${raw}`);
  }
  return value;
}

function metaString(meta: Record<string, string>, key: string): string {
  const raw = meta[key];
  if (raw === undefined) throw malformed(`metadata "${key}" is missing`);
  return raw;
}

function float32Of(
  tensor: SafetensorsTensor | undefined,
  name: string,
  shape: readonly number[],
): Float32Array {
  if (!tensor) throw malformed(`tensor "${name}" is missing`);
  if (tensor.shape.length !== shape.length || tensor.shape.some((s, i) => s !== shape[i])) {
    throw malformed(
      `tensor "${name}" has shape [${tensor.shape.join(', ')}], expected [${shape.join(', ')}]`,
    );
  }
  if (tensor.dtype === 'F32') return tensor.data.slice();
  if (tensor.dtype === 'F16') return float16BitsToFloat32(tensor.data);
  throw malformed(`tensor "${name}" has dtype ${tensor.dtype}, expected F32 or F16`);
}

/** Reads a model file written by encodeModelFile; the precision factor comes back as fp32 [P, d, d]. */
export function decodeModelFile(bytes: Uint8Array): PadimModelFile {
  const { metadata: meta, tensors } = decodeSafetensors(bytes);
  if (meta.format !== MODEL_FILE_FORMAT) {
    throw new PadimError(
      PadimErrorCode.UNSUPPORTED_FORMAT,
      `not a PaDiM model file (format "${meta.format ?? ''}")`,
    );
  }
  const version = metaNumber(meta, 'format_version');
  if (version > MODEL_FILE_VERSION) {
    throw new PadimError(
      PadimErrorCode.UNSUPPORTED_FORMAT,
      `model file format version ${version} is newer than this reader (${MODEL_FILE_VERSION})`,
    );
  }
  const d = metaNumber(meta, 'dims');
  const height = metaNumber(meta, 'grid_height');
  const width = metaNumber(meta, 'grid_width');
  const positions = height * width;
  const embeddingChannels = metaNumber(meta, 'embedding_channels');
  const protocol = metaString(meta, 'protocol');
  const mapResize = metaString(meta, 'map_resize');
  if (protocol !== 'mvtec' && protocol !== 'stc') throw malformed(`unknown protocol "${protocol}"`);
  if (mapResize !== 'bicubic' && mapResize !== 'bilinear')
    throw malformed(`unknown map_resize "${mapResize}"`);

  const mean = float32Of(tensors.mean, 'mean', [positions, d]);
  let precisionFactor: Float32Array;
  if (tensors.precision_factor_packed) {
    const packed = float32Of(tensors.precision_factor_packed, 'precision_factor_packed', [
      positions,
      packedSize(d),
    ]);
    precisionFactor = new Float32Array(positions * d * d);
    let k = 0;
    for (let p = 0; p < positions; p++)
      for (let i = 0; i < d; i++)
        for (let j = i; j < d; j++) precisionFactor[(p * d + i) * d + j] = packed[k++]!;
  } else {
    precisionFactor = float32Of(tensors.precision_factor, 'precision_factor', [positions, d, d]);
  }
  assertFinite('model file: mean', mean);
  assertFinite('model file: precision factor', precisionFactor);

  const kind = metaString(meta, 'reduction');
  let reduction: Reduction;
  if (kind === 'pca') {
    const pcaMean = float32Of(tensors.pca_mean, 'pca_mean', [embeddingChannels]);
    const components = float32Of(tensors.pca_components, 'pca_components', [d, embeddingChannels]);
    const ev = tensors.pca_explained_variance;
    if (!ev || ev.dtype !== 'F64' || ev.data.length !== d)
      throw malformed('tensor "pca_explained_variance" is missing or malformed');
    reduction = {
      kind: 'pca',
      pca: {
        mean: pcaMean,
        components,
        explainedVariance: ev.data.slice(),
        inputDims: embeddingChannels,
        dims: d,
      },
    };
  } else if (kind === 'random' || kind === 'all') {
    const t = tensors.channel_indices;
    if (!t || t.dtype !== 'I64' || t.shape.length !== 1 || t.data.length !== d) {
      throw malformed('tensor "channel_indices" must be I64 [d]');
    }
    const indices = Int32Array.from(t.data, (v) => Number(v));
    for (const c of indices) {
      if (c < 0 || c >= embeddingChannels)
        throw malformed(`channel index ${c} outside [0, ${embeddingChannels})`);
    }
    reduction =
      kind === 'random' ? { kind, seed: metaNumber(meta, 'seed'), indices } : { kind, indices };
  } else {
    throw malformed(`unknown reduction "${kind}"`);
  }

  const info: PadimModelInfo = {
    backbone: metaString(meta, 'backbone'),
    weights: metaString(meta, 'weights'),
    weightsSha256: metaString(meta, 'weights_sha256'),
    layers: metaString(meta, 'layers')
      .split(',')
      .filter((s) => s.length > 0),
    embeddingChannels,
    imageSize: metaNumber(meta, 'image_size'),
    protocol,
    mapResize,
    blurSigma: metaNumber(meta, 'blur_sigma', false),
  };
  const gaussian: GaussianModel = {
    height,
    width,
    dims: d,
    count: metaNumber(meta, 'count'),
    eps: metaNumber(meta, 'eps', false),
    mean,
    precisionFactor,
  };
  return { info, reduction, gaussian };
}

/**
 * Serialises a fit in progress (a checkpoint, or the statistics kept for incremental updates: a
 * reviewed false positive is folded in without re-reading the training images). Tensors: mean F64
 * [P, d], m2_packed F64 [P, d(d+1)/2]; metadata: count, grid, dims, plus caller-provided strings.
 */
export function encodeAccumulator(
  state: GaussianAccumulatorState,
  extra: Record<string, string> = {},
): Uint8Array {
  const positions = state.height * state.width;
  return encodeSafetensors(
    {
      mean: { dtype: 'F64', shape: [positions, state.dims], data: state.mean },
      m2_packed: { dtype: 'F64', shape: [positions, packedSize(state.dims)], data: state.m2 },
    },
    {
      ...extra,
      format: ACCUMULATOR_FILE_FORMAT,
      format_version: String(MODEL_FILE_VERSION),
      count: String(state.count),
      grid_height: String(state.height),
      grid_width: String(state.width),
      dims: String(state.dims),
    },
  );
}

export function decodeAccumulator(bytes: Uint8Array): {
  accumulator: GaussianAccumulator;
  metadata: Record<string, string>;
} {
  const { metadata, tensors } = decodeSafetensors(bytes, { copy: true });
  if (metadata.format !== ACCUMULATOR_FILE_FORMAT) {
    throw new PadimError(
      PadimErrorCode.UNSUPPORTED_FORMAT,
      `not a PaDiM accumulator (format "${metadata.format ?? ''}")`,
    );
  }
  const height = metaNumber(metadata, 'grid_height');
  const width = metaNumber(metadata, 'grid_width');
  const dims = metaNumber(metadata, 'dims');
  const count = metaNumber(metadata, 'count');
  assertInteger('accumulator count', count, 0);
  const mean = tensors.mean;
  const m2 = tensors.m2_packed;
  if (!mean || mean.dtype !== 'F64' || !m2 || m2.dtype !== 'F64')
    throw malformed('accumulator tensors mean / m2_packed must be F64');
  return {
    accumulator: GaussianAccumulator.fromState({
      height,
      width,
      dims,
      count,
      mean: mean.data,
      m2: m2.data,
    }),
    metadata,
  };
}

import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  decodeModelFile,
  encodeModelFile,
  planMemory,
  type EncodeModelOptions,
  type PadimModelFile,
} from '@padim/core';
import type { SerializedModel } from '../onnx/graph.js';
import type { Normalization } from '../preprocess/index.js';
import { DETECTOR_DATA_FILE, DETECTOR_FILE, type TapInfo } from './extractor.js';

/**
 * A model on disk is a folder:
 *   padim.safetensors   the statistics (core's model file: numpy/torch readable)
 *   detector.onnx       backbone + PaDiM head in one graph, runs in any onnxruntime (edge export)
 *   detector.onnx.data  external initializers, only for models past protobuf's 2 GB limit
 *   model.json          what a client needs to feed the detector (preprocessing, sizes, taps)
 */
export const STATS_FILE = 'padim.safetensors';
export const MANIFEST_FILE = 'model.json';

export interface ModelManifest {
  readonly formatVersion: 1;
  readonly backbone: string;
  readonly weights: string;
  readonly weightsSha256: string;
  readonly layers: readonly string[];
  readonly normalization: Normalization;
  readonly protocol: 'mvtec' | 'stc';
  readonly imageSize: number;
  readonly grid: readonly [number, number];
  readonly dims: number;
  readonly reduction: string;
  readonly seed?: number;
  readonly eps: number;
  readonly trainImages: number;
  readonly mapResize: string;
  readonly taps: readonly TapInfo[];
  readonly createdAt: string;
  /** The operating threshold (score > value is anomalous), when the fit calibrated one. */
  readonly threshold?: ModelThreshold;
}

/** Equal-width histogram: `edges` has `counts.length + 1` entries. */
export interface ScoreHistogram {
  readonly edges: readonly number[];
  readonly counts: readonly number[];
}

/** A threshold calibrated on held-out normal images for a target false-alarm rate. */
export interface ModelThreshold {
  /** An image is anomalous iff its score > value. */
  readonly value: number;
  readonly method: 'false-alarm-rate';
  readonly targetFalseAlarmRate: number;
  /** Fraction of the held-out normal scores above `value` (<= the target). */
  readonly achievedFalseAlarmRate: number;
  /** Number of normal training images held out of the fit and scored. */
  readonly heldOut: number;
  /** The held-out normal scores, ascending (the dashboard's histogram). */
  readonly normalScores: readonly number[];
  readonly histogram: ScoreHistogram;
}

export class ModelDirError extends Error {
  override readonly name = 'ModelDirError';
}

export async function saveModelDir(
  dir: string,
  fit: {
    model: PadimModelFile;
    taps: readonly TapInfo[];
    imageSize: number;
    normalization: Normalization;
    threshold?: ModelThreshold;
  },
  detector: SerializedModel,
  encode: EncodeModelOptions = {},
): Promise<ModelManifest> {
  await mkdir(dir, { recursive: true });
  const { model } = fit;
  const manifest: ModelManifest = {
    formatVersion: 1,
    backbone: model.info.backbone,
    weights: model.info.weights,
    weightsSha256: model.info.weightsSha256,
    layers: model.info.layers,
    normalization: fit.normalization,
    protocol: model.info.protocol,
    imageSize: fit.imageSize,
    grid: [model.gaussian.height, model.gaussian.width],
    dims: model.gaussian.dims,
    reduction: model.reduction.kind,
    ...(model.reduction.kind === 'random' ? { seed: model.reduction.seed } : {}),
    eps: model.gaussian.eps,
    trainImages: model.gaussian.count,
    mapResize: model.info.mapResize,
    taps: fit.taps,
    createdAt: new Date().toISOString(),
    ...(fit.threshold ? { threshold: fit.threshold } : {}),
  };
  // Write to temporary names, then rename: a crash never leaves a half-written model behind.
  const files: [string, Uint8Array | string][] = [
    [STATS_FILE, encodeModelFile(model, encode)],
    [DETECTOR_FILE, detector.model],
    [MANIFEST_FILE, `${JSON.stringify(manifest, null, 2)}\n`],
  ];
  if (detector.externalData.byteLength > 0) files.push([DETECTOR_DATA_FILE, detector.externalData]);
  for (const [name, data] of files) await writeFile(join(dir, `${name}.tmp`), data);
  for (const [name] of files) await rename(join(dir, `${name}.tmp`), join(dir, name));
  return manifest;
}

/** Sets (or replaces) the threshold block of a saved model's model.json; returns the new manifest. */
export async function writeModelThreshold(
  dir: string,
  threshold: ModelThreshold,
): Promise<ModelManifest> {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path))
    throw new ModelDirError(`${dir} is not a PaDiM model folder: ${MANIFEST_FILE} is missing`);
  const manifest = JSON.parse(await readFile(path, 'utf8')) as ModelManifest;
  const updated: ModelManifest = { ...manifest, threshold };
  await writeFile(`${path}.tmp`, `${JSON.stringify(updated, null, 2)}\n`);
  await rename(`${path}.tmp`, path);
  return updated;
}

export interface LoadedModelDir {
  readonly dir: string;
  readonly manifest: ModelManifest;
  readonly model: PadimModelFile;
  readonly detectorPath: string;
}

export async function loadModelDir(dir: string): Promise<LoadedModelDir> {
  for (const f of [STATS_FILE, DETECTOR_FILE, MANIFEST_FILE]) {
    if (!existsSync(join(dir, f)))
      throw new ModelDirError(`${dir} is not a PaDiM model folder: ${f} is missing`);
  }
  const manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as ModelManifest;
  if (manifest.formatVersion !== 1)
    throw new ModelDirError(
      `${dir}: unsupported model folder version ${String(manifest.formatVersion)}`,
    );
  const model = decodeModelFile(new Uint8Array(await readFile(join(dir, STATS_FILE))));
  return { dir, manifest, model, detectorPath: join(dir, DETECTOR_FILE) };
}

/** Sizes on disk and in memory, for `padim info`. */
export async function describeModelDir(loaded: LoadedModelDir): Promise<Record<string, unknown>> {
  const sizeOf = async (f: string) =>
    existsSync(join(loaded.dir, f)) ? (await stat(join(loaded.dir, f))).size : 0;
  const { gaussian } = loaded.model;
  const plan = planMemory({
    backbone: {
      channels: loaded.manifest.taps.map((t) => t.channels),
      strides: loaded.manifest.taps.map((t) => Math.round(loaded.manifest.imageSize / t.width)),
    },
    d: gaussian.dims,
    imageSize: loaded.manifest.imageSize,
    precision: 'fp32',
    layout: 'full',
  });
  return {
    ...loaded.manifest,
    files: {
      [STATS_FILE]: await sizeOf(STATS_FILE),
      [DETECTOR_FILE]: (await sizeOf(DETECTOR_FILE)) + (await sizeOf(DETECTOR_DATA_FILE)),
    },
    memoryWhenLoadedBytes: plan.modelBytes,
  };
}

import { preprocessBatch, type PreprocessOptions } from '../preprocess/index.js';
import {
  openSession,
  runFloat,
  type LoadedSession,
  type RuntimeOptions,
} from '../runtime/session.js';
import { loadModelDir, type LoadedModelDir } from './model-dir.js';

export interface ScoredBatch {
  /** [B] image scores: the max of each anomaly map. */
  readonly scores: Float32Array;
  /** [B, S, S] anomaly maps at the model's input size (after resize and blur). */
  readonly maps: Float32Array;
  /** [B, h, w] raw Mahalanobis distances on the patch grid. */
  readonly distances: Float32Array;
  readonly size: number;
  readonly grid: readonly [number, number];
}

/** A trained model, ready to score images: the one-graph detector on onnxruntime. */
export class Detector {
  private constructor(
    readonly loaded: LoadedModelDir,
    private readonly session: LoadedSession,
  ) {}

  static async open(dir: string, runtime: RuntimeOptions = {}): Promise<Detector> {
    const loaded = await loadModelDir(dir);
    // By path, so that an external data file next to it is found.
    const session = await openSession(loaded.detectorPath, runtime);
    return new Detector(loaded, session);
  }

  get provider(): string {
    return this.session.provider;
  }

  get preprocessOptions(): PreprocessOptions {
    const m = this.loaded.manifest;
    return { protocol: m.protocol, normalization: m.normalization };
  }

  /** Scores encoded images (PNG, JPEG, ...) as one batch. */
  async scoreImages(images: readonly Uint8Array[]): Promise<ScoredBatch> {
    const batch = await preprocessBatch(images, this.preprocessOptions);
    return this.scoreTensor(batch, images.length);
  }

  /** Scores preprocessed images [B, 3, S, S]. */
  async scoreTensor(batch: Float32Array, count: number): Promise<ScoredBatch> {
    const size = this.loaded.manifest.imageSize;
    const input = this.session.inputNames[0]!;
    const out = await runFloat(
      this.session,
      { [input]: { data: batch, dims: [count, 3, size, size] } },
      ['score', 'anomaly_map', 'distance'],
    );
    return {
      scores: out.score!.data,
      maps: out.anomaly_map!.data,
      distances: out.distance!.data,
      size,
      grid: [this.loaded.model.gaussian.height, this.loaded.model.gaussian.width],
    };
  }

  async release(): Promise<void> {
    await this.session.session.release();
  }
}

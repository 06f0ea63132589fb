/**
 * The worker's open detectors, bounded by a memory budget.
 *
 * `acquire(ref)` returns a lease on a ready Detector: the version's folder is downloaded from the
 * object store into `cacheDir/<modelVersionId>` (or reused when a complete copy is already there:
 * downloadModelDir renames a finished folder into place, so a folder that exists is whole), opened
 * once, and kept. Concurrent acquires of one version share one load (single-flight). Each entry's
 * size is estimated before its session opens; when the sum passes the budget, the least recently
 * used entries that nobody holds (refcount 0) are closed until it fits. The entry used last is never
 * evicted, so a model larger than the whole budget still loads and serves, alone.
 *
 * Model versions are immutable (a fold or a re-fit makes a new version), which is why a folder on
 * disk and an open session can be reused without asking the store again. The cache trusts the
 * VersionRef it is given: callers check tenancy (the HTTP service and the worker read the version
 * through forTenant first).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { planMemory } from '@padim/core';
import { ObjectStoreErrorCode, isObjectStoreError, type ObjectStore } from '@padim/storage';
import { Detector } from '@padim/inference';
import { DETECTOR_DATA_FILE, DETECTOR_FILE } from '@padim/inference';
import { MANIFEST_FILE, STATS_FILE, type ModelManifest } from '@padim/inference';
import type { RuntimeOptions } from '@padim/inference';
import { downloadModelDir, type VersionRef } from './artifacts.js';

export enum ModelCacheErrorCode {
  /** The version's artifacts are not in the object store (never uploaded, or deleted). */
  MODEL_NOT_FOUND = 'MODEL_NOT_FOUND',
  /** The artifacts are there but do not open as a model (bad manifest, unreadable ONNX). */
  MODEL_LOAD_FAILED = 'MODEL_LOAD_FAILED',
  /** The object store could not be read (unreachable, refused, failing). */
  STORE_UNAVAILABLE = 'STORE_UNAVAILABLE',
  /** acquire() after close(). */
  CACHE_CLOSED = 'CACHE_CLOSED',
}

export class ModelCacheError extends Error {
  override readonly name = 'ModelCacheError';

  constructor(
    readonly code: ModelCacheErrorCode,
    message: string,
    readonly modelVersionId?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isModelCacheError(e: unknown, code?: ModelCacheErrorCode): e is ModelCacheError {
  return e instanceof ModelCacheError && (code === undefined || e.code === code);
}

export interface ModelCacheOptions {
  readonly store: ObjectStore;
  /** Local folder for downloaded versions: `cacheDir/<modelVersionId>/`. */
  readonly cacheDir: string;
  /** Estimated bytes of all open detectors together (see `estimateModelBytes`). */
  readonly memoryBudgetBytes: number;
  /** Session options of every detector (execution providers, threads, log). */
  readonly runtime?: RuntimeOptions;
}

/** A detector held open for the caller until `release()` (idempotent). */
export interface ModelLease {
  readonly detector: Detector;
  /** Estimated bytes of this entry. */
  readonly bytes: number;
  release(): void;
}

export interface ModelCacheStats {
  /** Open or opening detectors. */
  readonly entries: number;
  /** Sum of their estimated bytes. */
  readonly bytes: number;
  readonly budgetBytes: number;
  /** Entries with at least one lease out. */
  readonly inUse: number;
  /** acquire() calls answered by an open or opening entry. */
  readonly hits: number;
  /** acquire() calls that started a load. */
  readonly misses: number;
  /** Entries closed to fit the budget. */
  readonly evictions: number;
  /** Loads that fetched the folder from the object store (the others reused the copy on disk). */
  readonly downloads: number;
}

/** Bytes of a model once loaded, estimated from its manifest and its files on disk. */
export interface ModelSizeEstimate {
  /**
   * core's planMemory: the statistics (means [P, d] + precision factors [P, d, d], fp32), as the
   * Detector keeps them decoded in the JS heap, plus the scoring working set of one image.
   */
  readonly planBytes: number;
  /** detector.onnx (+ .data): onnxruntime holds its initializers (backbone + statistics) in memory. */
  readonly detectorFileBytes: number;
  readonly totalBytes: number;
}

async function fileSize(path: string): Promise<number> {
  return existsSync(path) ? (await stat(path)).size : 0;
}

/**
 * Estimates a saved model folder's memory when open: planMemory from the manifest (tap channels
 * and strides, d, image size) plus the detector file's size. When the manifest does not fit the
 * planner (an unusual custom backbone), the statistics file's size stands in for the plan.
 */
export async function estimateModelBytes(dir: string): Promise<ModelSizeEstimate> {
  const manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as ModelManifest;
  const detectorFileBytes =
    (await fileSize(join(dir, DETECTOR_FILE))) + (await fileSize(join(dir, DETECTOR_DATA_FILE)));
  let planBytes: number;
  try {
    const plan = planMemory({
      backbone: {
        channels: manifest.taps.map((t) => t.channels),
        strides: manifest.taps.map((t) => Math.max(1, Math.round(manifest.imageSize / t.width))),
      },
      d: manifest.dims,
      imageSize: manifest.imageSize,
      precision: 'fp32',
      layout: 'full',
    });
    planBytes = plan.modelBytes + plan.scoring.totalBytes;
  } catch {
    planBytes = await fileSize(join(dir, STATS_FILE));
  }
  return { planBytes, detectorFileBytes, totalBytes: planBytes + detectorFileBytes };
}

interface Entry {
  readonly ref: VersionRef;
  /** Settles when the detector is open (or the load failed; the entry is then gone). */
  ready: Promise<Detector>;
  detector: Detector | undefined;
  /** Estimated bytes; 0 until the folder is on disk. */
  bytes: number;
  refs: number;
  lastUsed: number;
}

export class ModelCache {
  private readonly entries = new Map<string, Entry>();
  private readonly releasing = new Set<Promise<void>>();
  private clock = 0;
  private hits = 0;
  private misses = 0;
  private evictions = 0;
  private downloads = 0;
  private closed = false;

  constructor(private readonly options: ModelCacheOptions) {
    if (!Number.isFinite(options.memoryBudgetBytes) || options.memoryBudgetBytes < 0)
      throw new RangeError(
        `memoryBudgetBytes must be a finite number >= 0, got ${options.memoryBudgetBytes}`,
      );
  }

  /**
   * A lease on the version's detector, loading it when needed. Release the lease when done: only
   * unheld entries can be evicted.
   *
   * @throws ModelCacheError MODEL_NOT_FOUND, MODEL_LOAD_FAILED, STORE_UNAVAILABLE, CACHE_CLOSED
   */
  async acquire(ref: VersionRef): Promise<ModelLease> {
    if (this.closed)
      throw new ModelCacheError(
        ModelCacheErrorCode.CACHE_CLOSED,
        'the model cache is closed',
        ref.modelVersionId,
      );
    let entry = this.entries.get(ref.modelVersionId);
    if (entry) {
      if (
        entry.ref.organizationId !== ref.organizationId ||
        entry.ref.productModelId !== ref.productModelId
      )
        throw notFound(ref, 'the cached version belongs to another product model');
      this.hits++;
    } else {
      this.misses++;
      entry = this.startLoad(ref);
    }
    entry.refs++;
    entry.lastUsed = ++this.clock;
    let detector: Detector;
    try {
      detector = await entry.ready;
    } catch (error) {
      entry.refs--;
      throw error;
    }
    const held = entry;
    let released = false;
    return {
      detector,
      bytes: held.bytes,
      release: () => {
        if (released) return;
        released = true;
        held.refs--;
        held.lastUsed = ++this.clock;
        this.enforceBudget();
      },
    };
  }

  /** Whether the version is open or opening. */
  has(modelVersionId: string): boolean {
    return this.entries.has(modelVersionId);
  }

  stats(): ModelCacheStats {
    let bytes = 0;
    let inUse = 0;
    for (const e of this.entries.values()) {
      bytes += e.bytes;
      if (e.refs > 0) inUse++;
    }
    return {
      entries: this.entries.size,
      bytes,
      budgetBytes: this.options.memoryBudgetBytes,
      inUse,
      hits: this.hits,
      misses: this.misses,
      evictions: this.evictions,
      downloads: this.downloads,
    };
  }

  /**
   * Refuses new acquires, waits for loads in flight, and closes every session (leases still out
   * become unusable: stop serving before closing). Files stay on disk.
   */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(
      all.map(async (e) => {
        const detector = await e.ready.catch(() => undefined);
        await detector?.release().catch(() => undefined);
      }),
    );
    await Promise.all([...this.releasing]);
  }

  private startLoad(ref: VersionRef): Entry {
    // `ready` is set just below: the load needs the entry to record its size.
    const entry = { ref, detector: undefined, bytes: 0, refs: 0, lastUsed: 0 } as Entry;
    const ready = this.load(entry).then(
      (detector) => {
        // When close() ran meanwhile, it releases this detector through `ready`.
        entry.detector = detector;
        return detector;
      },
      (error: unknown) => {
        if (this.entries.get(ref.modelVersionId) === entry) this.entries.delete(ref.modelVersionId);
        throw error;
      },
    );
    // Awaited by every acquirer; never an unhandled rejection while nobody waits yet.
    ready.catch(() => undefined);
    entry.ready = ready;
    this.entries.set(ref.modelVersionId, entry);
    return entry;
  }

  private async load(entry: Entry): Promise<Detector> {
    const { ref } = entry;
    const dir = join(this.options.cacheDir, ref.modelVersionId);
    const onDisk = [STATS_FILE, DETECTOR_FILE, MANIFEST_FILE].every((f) =>
      existsSync(join(dir, f)),
    );
    if (!onDisk) await this.download(ref, dir);
    try {
      return await this.open(entry, dir);
    } catch (error) {
      if (onDisk && !isModelCacheError(error, ModelCacheErrorCode.CACHE_CLOSED)) {
        // A damaged local copy (disk trouble, a foreign folder): fetch it again, once.
        await this.download(ref, dir);
        return this.open(entry, dir);
      }
      throw error;
    }
  }

  private async download(ref: VersionRef, dir: string): Promise<void> {
    await mkdir(this.options.cacheDir, { recursive: true });
    try {
      await downloadModelDir(this.options.store, ref, dir);
      this.downloads++;
    } catch (error) {
      if (isObjectStoreError(error, ObjectStoreErrorCode.NOT_FOUND))
        throw notFound(ref, 'its artifacts are not in the object store', error);
      if (isObjectStoreError(error))
        throw new ModelCacheError(
          ModelCacheErrorCode.STORE_UNAVAILABLE,
          `model version ${ref.modelVersionId}: the object store failed (${error.code}): ${error.message}`,
          ref.modelVersionId,
          { cause: error },
        );
      throw error;
    }
  }

  private async open(entry: Entry, dir: string): Promise<Detector> {
    const id = entry.ref.modelVersionId;
    try {
      entry.bytes = (await estimateModelBytes(dir)).totalBytes;
    } catch (error) {
      throw loadFailed(id, error);
    }
    // Make room before the session opens, so the peak stays within the budget when it can.
    this.enforceBudget(entry);
    if (this.closed)
      throw new ModelCacheError(ModelCacheErrorCode.CACHE_CLOSED, 'the model cache is closed', id);
    try {
      return await Detector.open(dir, this.options.runtime);
    } catch (error) {
      throw loadFailed(id, error);
    }
  }

  /**
   * Closes least-recently-used unheld entries while the estimated total exceeds the budget. The
   * most recently used entry (or `keep`) always stays.
   */
  private enforceBudget(keep?: Entry): void {
    const budget = this.options.memoryBudgetBytes;
    let total = 0;
    let newest: Entry | undefined;
    for (const e of this.entries.values()) {
      total += e.bytes;
      if (!newest || e.lastUsed > newest.lastUsed) newest = e;
    }
    const protect = keep ?? newest;
    while (total > budget) {
      let victim: Entry | undefined;
      for (const e of this.entries.values()) {
        if (e === protect || e.refs > 0 || !e.detector) continue;
        if (!victim || e.lastUsed < victim.lastUsed) victim = e;
      }
      if (!victim) return;
      this.entries.delete(victim.ref.modelVersionId);
      total -= victim.bytes;
      this.evictions++;
      const p = victim.detector!.release().catch(() => undefined);
      this.releasing.add(p);
      void p.finally(() => this.releasing.delete(p));
    }
  }
}

function notFound(ref: VersionRef, why: string, cause?: unknown): ModelCacheError {
  return new ModelCacheError(
    ModelCacheErrorCode.MODEL_NOT_FOUND,
    `model version ${ref.modelVersionId} of product model ${ref.productModelId}: ${why}`,
    ref.modelVersionId,
    cause === undefined ? undefined : { cause },
  );
}

function loadFailed(modelVersionId: string, cause: unknown): ModelCacheError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new ModelCacheError(
    ModelCacheErrorCode.MODEL_LOAD_FAILED,
    `model version ${modelVersionId} could not be opened: ${reason}`,
    modelVersionId,
    { cause },
  );
}

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsObjectStore } from '@padim/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DETECTOR_FILE,
  ModelCache,
  ModelCacheErrorCode,
  encodePng,
  estimateModelBytes,
  synthImage,
} from './helpers/api.js';
import { uploadModelDir, type VersionRef } from '../src/artifacts.js';
import { writeTinyModel } from '@padim/inference/testing';

const dir = mkdtempSync(join(tmpdir(), 'padim-cache-'));
const modelDir = join(dir, 'model');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ref = (modelVersionId: string): VersionRef => ({
  organizationId: 'org-1',
  productModelId: 'pm-1',
  modelVersionId,
});
const A = ref('version-a');
const B = ref('version-b');

let store: FsObjectStore;
let modelBytes: number;
let caches = 0;

/** A fresh cache (own folder) over the shared store. */
function cache(memoryBudgetBytes: number): ModelCache {
  return new ModelCache({
    store,
    cacheDir: join(dir, `cache-${++caches}`),
    memoryBudgetBytes,
    runtime: { providers: ['cpu'] },
  });
}

beforeAll(async () => {
  await writeTinyModel(modelDir);
  store = await FsObjectStore.open({ root: join(dir, 'store') });
  // Two versions: the same folder uploaded under two ids.
  await uploadModelDir(store, modelDir, A);
  await uploadModelDir(store, modelDir, B);
  modelBytes = (await estimateModelBytes(modelDir)).totalBytes;
});

describe('estimateModelBytes', () => {
  it('is planMemory (statistics + scoring buffers) plus the detector file', async () => {
    const e = await estimateModelBytes(modelDir);
    // layer1 (64 ch, stride 4) + layer2: grid 56 x 56, d = 20: means 3136*20*4, factors 3136*400*4.
    expect(e.planBytes).toBeGreaterThan(3136 * 20 * 4 + 3136 * 400 * 4);
    expect(e.detectorFileBytes).toBeGreaterThan(3136 * 400 * 4);
    expect(e.totalBytes).toBe(e.planBytes + e.detectorFileBytes);
  });
});

describe('ModelCache', () => {
  it('loads a version once for concurrent acquires (single flight) and serves hits after', async () => {
    const c = cache(10 * modelBytes);
    try {
      const [l1, l2] = await Promise.all([c.acquire(A), c.acquire(A)]);
      expect(l1.detector).toBe(l2.detector);
      expect(c.stats()).toMatchObject({ entries: 1, misses: 1, hits: 1, downloads: 1, inUse: 1 });
      expect(c.stats().bytes).toBe(modelBytes);
      l1.release();
      l2.release();
      l2.release(); // idempotent
      expect(c.stats().inUse).toBe(0);
      const l3 = await c.acquire(A);
      expect(l3.detector).toBe(l1.detector);
      expect(c.stats()).toMatchObject({ misses: 1, hits: 2, downloads: 1, evictions: 0 });
      const scored = await l3.detector.scoreImages([
        await encodePng(synthImage(64, 7).rgb, 64, 64),
      ]);
      expect(scored.scores.length).toBe(1);
      l3.release();
      expect(c.has('version-a')).toBe(true);
      expect(c.has('version-b')).toBe(false);
    } finally {
      await c.close();
    }
  });

  it('evicts the least recently used unheld entry past the budget and reuses the files on disk', async () => {
    const c = cache(1.5 * modelBytes);
    try {
      (await c.acquire(A)).release();
      (await c.acquire(B)).release();
      expect(c.has('version-a')).toBe(false);
      expect(c.has('version-b')).toBe(true);
      expect(c.stats()).toMatchObject({ entries: 1, evictions: 1, misses: 2, downloads: 2 });
      expect(c.stats().bytes).toBeLessThanOrEqual(1.5 * modelBytes);
      // A again: a miss, but its folder is still on disk, so nothing is downloaded.
      (await c.acquire(A)).release();
      expect(c.stats()).toMatchObject({ entries: 1, evictions: 2, misses: 3, downloads: 2 });
      expect(c.has('version-a')).toBe(true);
    } finally {
      await c.close();
    }
  });

  it('never evicts an entry in use; the budget is restored when it is released', async () => {
    const c = cache(1.5 * modelBytes);
    try {
      const a = await c.acquire(A);
      const b = await c.acquire(B);
      // Over budget, but both are held.
      expect(c.stats()).toMatchObject({ entries: 2, inUse: 2, evictions: 0 });
      expect(c.stats().bytes).toBe(2 * modelBytes);
      b.release();
      // A is held and B was used last: nothing can go yet.
      expect(c.stats()).toMatchObject({ entries: 2, inUse: 1, evictions: 0 });
      const scored = await a.detector.scoreImages([await encodePng(synthImage(64, 8).rgb, 64, 64)]);
      expect(Number.isFinite(scored.scores[0]!)).toBe(true);
      a.release();
      expect(c.stats()).toMatchObject({ entries: 1, inUse: 0, evictions: 1 });
      expect(c.has('version-a')).toBe(true);
    } finally {
      await c.close();
    }
  });

  it('still loads a model larger than the whole budget, alone', async () => {
    const c = cache(1);
    try {
      const a = await c.acquire(A);
      a.release();
      expect(c.stats()).toMatchObject({ entries: 1, evictions: 0 });
      (await c.acquire(B)).release();
      expect(c.stats()).toMatchObject({ entries: 1, evictions: 1 });
      expect(c.has('version-b')).toBe(true);
    } finally {
      await c.close();
    }
  });

  it('answers MODEL_NOT_FOUND for a version without artifacts, to every waiter, and keeps nothing', async () => {
    const c = cache(10 * modelBytes);
    try {
      const missing = ref('version-missing');
      const results = await Promise.allSettled([c.acquire(missing), c.acquire(missing)]);
      for (const r of results) {
        expect(r.status).toBe('rejected');
        expect((r as PromiseRejectedResult).reason).toMatchObject({
          name: 'ModelCacheError',
          code: ModelCacheErrorCode.MODEL_NOT_FOUND,
        });
      }
      expect(c.has('version-missing')).toBe(false);
      expect(c.stats()).toMatchObject({ entries: 0, misses: 1, hits: 1 });
    } finally {
      await c.close();
    }
  });

  it('refuses a cached version asked for under another product model', async () => {
    const c = cache(10 * modelBytes);
    try {
      (await c.acquire(A)).release();
      await expect(c.acquire({ ...A, organizationId: 'org-2' })).rejects.toMatchObject({
        code: ModelCacheErrorCode.MODEL_NOT_FOUND,
      });
    } finally {
      await c.close();
    }
  });

  it('downloads again when the copy on disk is damaged', async () => {
    const c = cache(10 * modelBytes);
    const first = await c.acquire(A);
    first.release();
    await c.close();
    // Same folder, new cache: the copy is reused; then damage it and try again.
    const again = new ModelCache({
      store,
      cacheDir: join(dir, `cache-${caches}`),
      memoryBudgetBytes: 10 * modelBytes,
      runtime: { providers: ['cpu'] },
    });
    try {
      (await again.acquire(A)).release();
      expect(again.stats().downloads).toBe(0);
      await again.close();
      writeFileSync(join(dir, `cache-${caches}`, 'version-a', DETECTOR_FILE), 'not an onnx file');
      const third = new ModelCache({
        store,
        cacheDir: join(dir, `cache-${caches}`),
        memoryBudgetBytes: 10 * modelBytes,
        runtime: { providers: ['cpu'] },
      });
      try {
        (await third.acquire(A)).release();
        expect(third.stats().downloads).toBe(1);
      } finally {
        await third.close();
      }
    } finally {
      await again.close();
    }
  });

  it('refuses acquires after close', async () => {
    const c = cache(10 * modelBytes);
    await c.close();
    await expect(c.acquire(A)).rejects.toMatchObject({ code: ModelCacheErrorCode.CACHE_CLOSED });
  });
});

import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
  mkdirSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRng, encodeSafetensors } from '@padim/core';
import type { SafetensorsTensor } from '@padim/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BackboneError, BackboneErrorCode } from '../../src/backbones/errors.js';
import {
  PRETRAINED_WEIGHTS,
  defaultCacheDir,
  ensurePretrainedWeights,
  loadPretrainedWeights,
  pretrainedWeightsPath,
  type DownloadProgress,
  type PretrainedWeightsEntry,
} from '../../src/backbones/pretrained.js';
import { describeWeights, randomResNetWeights } from '../../src/backbones/weights.js';

// A small fake file for the cache tests (2.5 MB of seeded bytes: several chunks on the wire)...
const rng = createRng(5);
const FILE = Uint8Array.from({ length: 5 << 19 }, () => rng.nextUint32() & 0xff);
const SHA = sha256(FILE);
// ...and a real-shaped one (the resnet18 random-init state_dict) for loadPretrainedWeights.
const weights = randomResNetWeights('resnet18', 11);
const tensors: Record<string, SafetensorsTensor> = {};
for (const [key, t] of weights) tensors[key] = { dtype: 'F32', shape: t.shape, data: t.data };
const WEIGHTS_FILE = encodeSafetensors(tensors);

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}

let server: Server;
let base: string;
let requests = 0;
let cacheDir: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests++;
    const body =
      req.url === '/model.safetensors'
        ? FILE
        : req.url === '/resnet18.safetensors'
          ? WEIGHTS_FILE
          : undefined;
    if (body) {
      res.writeHead(200, { 'content-length': String(body.byteLength) });
      // Several chunks, so progress is reported more than once.
      for (let at = 0; at < body.byteLength; at += 1 << 20) {
        res.write(body.subarray(at, at + (1 << 20)));
      }
      res.end();
    } else {
      res.writeHead(404, 'Not Found').end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  cacheDir = mkdtempSync(join(tmpdir(), 'padim-weights-'));
  requests = 0;
});
afterEach(() => {
  rmSync(cacheDir, { recursive: true, force: true });
});

function entry(overrides: Partial<PretrainedWeightsEntry> = {}): PretrainedWeightsEntry {
  return {
    ...PRETRAINED_WEIGHTS.resnet18,
    fileName: 'fake-resnet18.safetensors',
    url: `${base}/model.safetensors`,
    sha256: SHA,
    ...overrides,
  };
}

async function rejection(promise: Promise<unknown>): Promise<BackboneError> {
  const e = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(BackboneError);
  return e as BackboneError;
}

/** Files left in the cache's backbones/ folder (temporary .part files included). */
function cacheFiles(): string[] {
  const dir = join(cacheDir, 'backbones');
  return existsSync(dir) ? readdirSync(dir) : [];
}

describe('the pinned catalog', () => {
  it('pins both backbones with sha256 and https URLs', () => {
    expect(PRETRAINED_WEIGHTS.resnet18.sha256).toBe(
      '694f673df6520a3158624e8a89af086f59923ee4cd7436fe5bc3bc71d295ad81',
    );
    expect(PRETRAINED_WEIGHTS.wide_resnet50_2.sha256).toBe(
      'df6fb6c4824769769de18e14088475fd6ee94236849aa4e5d8022ba9d9a9a16c',
    );
    for (const e of Object.values(PRETRAINED_WEIGHTS)) {
      expect(e.url).toMatch(/^https:\/\/huggingface\.co\/timm\/.+\.tv_in1k\/resolve\/main\//);
      expect(e.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('defaultCacheDir: $PADIM_CACHE_DIR, else ~/.cache/padim', () => {
    expect(defaultCacheDir({ PADIM_CACHE_DIR: '/data/padim' })).toBe('/data/padim');
    expect(defaultCacheDir({ PADIM_CACHE_DIR: '' })).toBe(join(homedir(), '.cache', 'padim'));
    expect(defaultCacheDir({})).toBe(join(homedir(), '.cache', 'padim'));
  });
});

describe('ensurePretrainedWeights', () => {
  it('downloads, verifies, reports progress and then serves from the cache', async () => {
    const progress: DownloadProgress[] = [];
    const path = await ensurePretrainedWeights('resnet18', {
      cacheDir,
      entry: entry(),
      onProgress: (p) => progress.push(p),
    });
    expect(path).toBe(join(cacheDir, 'backbones', 'fake-resnet18.safetensors'));
    expect(path).toBe(pretrainedWeightsPath(cacheDir, entry()));
    expect(sameBytes(readFileSync(path), FILE)).toBe(true);
    expect(cacheFiles()).toEqual(['fake-resnet18.safetensors']); // no temporary file left
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toEqual({
      receivedBytes: FILE.byteLength,
      totalBytes: FILE.byteLength,
    });
    expect(requests).toBe(1);

    // Cached and verified: no network at all.
    const again = await ensurePretrainedWeights('resnet18', {
      cacheDir,
      entry: entry(),
      fetchImpl: () => Promise.reject(new Error('no network in this test')),
    });
    expect(again).toBe(path);
    expect(requests).toBe(1);
  });

  it('replaces a corrupt cached file', async () => {
    const path = pretrainedWeightsPath(cacheDir, entry());
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, 'truncated');
    await ensurePretrainedWeights('resnet18', { cacheDir, entry: entry() });
    expect(sameBytes(readFileSync(path), FILE)).toBe(true);
    expect(requests).toBe(1);
  });

  it('offline with a corrupt cached file: says so, and leaves the file alone', async () => {
    const path = pretrainedWeightsPath(cacheDir, entry());
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, 'truncated');
    const e = await rejection(
      ensurePretrainedWeights('resnet18', {
        cacheDir,
        entry: entry(),
        fetchImpl: () => Promise.reject(new TypeError('fetch failed')),
      }),
    );
    expect(e.code).toBe(BackboneErrorCode.WEIGHTS_UNAVAILABLE);
    expect(e.message).toContain(`the file there has sha256 ${sha256(Buffer.from('truncated'))}`);
    expect(readFileSync(path, 'utf8')).toBe('truncated');
  });

  it('a sha256 mismatch deletes the download and throws CHECKSUM_MISMATCH', async () => {
    const wrong = '0'.repeat(64);
    const e = await rejection(
      ensurePretrainedWeights('resnet18', { cacheDir, entry: entry({ sha256: wrong }) }),
    );
    expect(e.code).toBe(BackboneErrorCode.CHECKSUM_MISMATCH);
    expect(e.message).toContain(SHA);
    expect(e.message).toContain(wrong);
    expect(cacheFiles()).toEqual([]);
  });

  it('connection refused: WEIGHTS_UNAVAILABLE naming the file, the URL and where to put it', async () => {
    // A port that was just free: nothing listens there any more.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const url = `http://127.0.0.1:${port}/model.safetensors`;

    const e = await rejection(
      ensurePretrainedWeights('resnet18', { cacheDir, entry: entry({ url }) }),
    );
    const path = join(cacheDir, 'backbones', 'fake-resnet18.safetensors');
    expect(e.code).toBe(BackboneErrorCode.WEIGHTS_UNAVAILABLE);
    expect(e.details).toEqual({ url, path });
    expect(e.message).toContain('fake-resnet18.safetensors');
    expect(e.message).toContain(url);
    expect(e.message).toContain(`put the file at ${path}`);
    expect(e.message).toContain(SHA);
    expect(e.message).toContain('ECONNREFUSED');
    expect(cacheFiles()).toEqual([]);
  });

  it('an HTTP error is WEIGHTS_UNAVAILABLE too', async () => {
    const url = `${base}/missing.safetensors`;
    const e = await rejection(
      ensurePretrainedWeights('resnet18', { cacheDir, entry: entry({ url }) }),
    );
    expect(e.code).toBe(BackboneErrorCode.WEIGHTS_UNAVAILABLE);
    expect(e.message).toContain('HTTP 404');
    expect(cacheFiles()).toEqual([]);
  });

  it('a download that breaks off deletes the temporary file', async () => {
    const e = await rejection(
      ensurePretrainedWeights('resnet18', {
        cacheDir,
        entry: entry(),
        fetchImpl: () =>
          Promise.resolve(
            new Response(
              new ReadableStream<Uint8Array>({
                start(controller) {
                  controller.enqueue(FILE.subarray(0, 1000));
                },
                pull(controller) {
                  controller.error(new Error('socket hang up'));
                },
              }),
            ),
          ),
      }),
    );
    expect(e.code).toBe(BackboneErrorCode.WEIGHTS_UNAVAILABLE);
    expect(e.message).toContain('socket hang up');
    expect(cacheFiles()).toEqual([]);
  });

  it('loadPretrainedWeights reads the verified file and labels it ImageNet', async () => {
    const sha = sha256(WEIGHTS_FILE);
    const w = await loadPretrainedWeights('resnet18', {
      cacheDir,
      entry: entry({ url: `${base}/resnet18.safetensors`, sha256: sha }),
    });
    expect(w.get('layer3.1.bn2.running_var')!.data).toEqual(
      weights.get('layer3.1.bn2.running_var')!.data,
    );
    expect(describeWeights('resnet18', w)).toBe(
      `resnet18, ImageNet-1k (resnet18.tv_in1k, sha256 ${sha.slice(0, 12)}...)`,
    );
  });
});

/**
 * The pinned ImageNet weights of the backbones and their local cache.
 *
 * torchvision's ImageNet-1k weights as republished by timm in safetensors (key names identical to
 * torchvision's state_dict). A file is used only when its sha256 equals the pinned one; downloads
 * stream to a temporary file in the cache directory, are verified, then renamed into place (atomic
 * on one file system), so an interrupted or corrupted download never looks like a cached file.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { assertResNetArch, type ResNetArch } from './arch.js';
import { BackboneError, BackboneErrorCode } from './errors.js';
import { setWeightsOrigin, weightsFromSafetensors, type TorchWeights } from './weights.js';

export interface PretrainedWeightsEntry {
  readonly arch: ResNetArch;
  /** timm's name of the weights, e.g. 'resnet18.tv_in1k'. */
  readonly name: string;
  /** File name inside `<cacheDir>/backbones/`. */
  readonly fileName: string;
  readonly url: string;
  /** Lower-case hex sha256 of the whole file: the only integrity check. */
  readonly sha256: string;
  /**
   * Size as published (rounded to 0.1 MB): for progress bars when the server sends no
   * Content-Length. Informational, never checked (the sha256 is).
   */
  readonly approxBytes: number;
  readonly license: string;
}

/** The pinned catalog (docs: shared/STACK.md, "ImageNet weights for users"). */
export const PRETRAINED_WEIGHTS: Readonly<Record<ResNetArch, PretrainedWeightsEntry>> = {
  resnet18: {
    arch: 'resnet18',
    name: 'resnet18.tv_in1k',
    fileName: 'resnet18.tv_in1k.safetensors',
    url: 'https://huggingface.co/timm/resnet18.tv_in1k/resolve/main/model.safetensors',
    sha256: '694f673df6520a3158624e8a89af086f59923ee4cd7436fe5bc3bc71d295ad81',
    approxBytes: 46_800_000,
    license: 'BSD-3-Clause',
  },
  wide_resnet50_2: {
    arch: 'wide_resnet50_2',
    name: 'wide_resnet50_2.tv_in1k',
    fileName: 'wide_resnet50_2.tv_in1k.safetensors',
    url: 'https://huggingface.co/timm/wide_resnet50_2.tv_in1k/resolve/main/model.safetensors',
    sha256: 'df6fb6c4824769769de18e14088475fd6ee94236849aa4e5d8022ba9d9a9a16c',
    approxBytes: 276_000_000,
    license: 'BSD-3-Clause',
  },
};

/**
 * The cache directory: `$PADIM_CACHE_DIR` when set and non-empty, else `~/.cache/padim`. The one
 * place the environment is read (through the parameter's default).
 */
export function defaultCacheDir(
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  const fromEnv = env['PADIM_CACHE_DIR'];
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : join(homedir(), '.cache', 'padim');
}

/** Where the weights live (or must be put by hand when offline). */
export function pretrainedWeightsPath(
  cacheDir: string,
  entry: Pick<PretrainedWeightsEntry, 'fileName'>,
): string {
  return join(cacheDir, 'backbones', entry.fileName);
}

export interface DownloadProgress {
  readonly receivedBytes: number;
  /** From Content-Length, else the catalog's approximate size. */
  readonly totalBytes: number;
}

/** The subset of `fetch` used here (global fetch fits; tests inject failures). */
export type FetchLike = (url: string) => Promise<Response>;

export interface EnsurePretrainedOptions {
  /** Default: `defaultCacheDir()`. */
  readonly cacheDir?: string;
  /** Default: the global fetch. */
  readonly fetchImpl?: FetchLike;
  readonly onProgress?: (progress: DownloadProgress) => void;
  /** Replaces the catalog entry of `arch` (tests, mirrors). */
  readonly entry?: PretrainedWeightsEntry;
}

/** Lower-case hex sha256 of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function cachedSha256(path: string): Promise<string | undefined> {
  try {
    return await sha256File(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function describeCause(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  // undici's "fetch failed" hides the useful part (ECONNREFUSED, ENOTFOUND...) in `cause`.
  const cause = e.cause instanceof Error ? ` (${e.cause.message})` : '';
  return `${e.message}${cause}`;
}

/**
 * Returns the path of the verified weights file of `arch`, downloading it first when it is not
 * cached (or the cached copy's sha256 is wrong).
 *
 * @throws BackboneError WEIGHTS_UNAVAILABLE when the download cannot start or complete (offline,
 *   connection refused, HTTP error): the message names the file, the URL and the exact path where
 *   to put a copy by hand; CHECKSUM_MISMATCH when the downloaded bytes do not match the pinned sha256
 *   (the temporary file is deleted, the cache left as it was); INVALID_ARGUMENT for an unknown arch.
 */
export async function ensurePretrainedWeights(
  arch: ResNetArch,
  options: EnsurePretrainedOptions = {},
): Promise<string> {
  assertResNetArch(arch);
  const entry = options.entry ?? PRETRAINED_WEIGHTS[arch];
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const fetchImpl = options.fetchImpl ?? ((url: string) => fetch(url));
  const path = pretrainedWeightsPath(cacheDir, entry);
  const expected = entry.sha256.toLowerCase();

  const cached = await cachedSha256(path);
  if (cached === expected) return path;

  const stale =
    cached === undefined ? '' : ` (the file there has sha256 ${cached}: corrupt or not this file)`;
  const unavailable = (reason: string, cause?: unknown): BackboneError =>
    new BackboneError(
      BackboneErrorCode.WEIGHTS_UNAVAILABLE,
      `cannot download the ImageNet weights of ${arch}, ${entry.fileName} (${entry.name}), ` +
        `from ${entry.url}: ${reason}. If this machine is offline, download that URL elsewhere ` +
        `and put the file at ${path}${stale}; its sha256 must be ${expected}.`,
      { url: entry.url, path },
      { cause },
    );

  let response: Response;
  try {
    response = await fetchImpl(entry.url);
  } catch (e) {
    throw unavailable(describeCause(e), e);
  }
  if (!response.ok || response.body === null) {
    await response.body?.cancel().catch(() => undefined);
    throw unavailable(`HTTP ${response.status} ${response.statusText}`.trim());
  }

  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.part`;
  const hash = createHash('sha256');
  const length = Number(response.headers.get('content-length'));
  const totalBytes = Number.isSafeInteger(length) && length > 0 ? length : entry.approxBytes;
  let receivedBytes = 0;
  try {
    const file = await open(temp, 'wx');
    try {
      const reader = response.body.getReader();
      for (;;) {
        const chunk = await reader.read().catch((e: unknown) => {
          throw unavailable(
            `the download broke off after ${receivedBytes} bytes: ${describeCause(e)}`,
            e,
          );
        });
        if (chunk.done) break;
        hash.update(chunk.value);
        await file.write(chunk.value);
        receivedBytes += chunk.value.byteLength;
        options.onProgress?.({ receivedBytes, totalBytes });
      }
    } finally {
      await file.close();
    }
    const actual = hash.digest('hex');
    if (actual !== expected) {
      throw new BackboneError(
        BackboneErrorCode.CHECKSUM_MISMATCH,
        `the download of ${entry.fileName} from ${entry.url} has sha256 ${actual} ` +
          `(${receivedBytes} bytes), expected ${expected}; it was deleted. Retry, or put a ` +
          `verified copy at ${path}.`,
        { url: entry.url, path },
      );
    }
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
  return path;
}

/**
 * `ensurePretrainedWeights` + `weightsFromSafetensors`, labelled as the catalog's ImageNet weights
 * (see `describeWeights`).
 */
export async function loadPretrainedWeights(
  arch: ResNetArch,
  options: EnsurePretrainedOptions = {},
): Promise<TorchWeights> {
  const entry = options.entry ?? PRETRAINED_WEIGHTS[arch];
  const path = await ensurePretrainedWeights(arch, options);
  const weights = weightsFromSafetensors(new Uint8Array(await readFile(path)), arch);
  return setWeightsOrigin(weights, {
    kind: 'imagenet',
    arch,
    name: entry.name,
    url: entry.url,
    sha256: entry.sha256,
  });
}

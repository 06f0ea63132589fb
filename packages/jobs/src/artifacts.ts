/**
 * Where a model version's files live in the object store, and moving them between the store and a
 * local model folder (the layout of `saveModelDir`):
 *
 *   org/{organizationId}/models/{productModelId}/versions/{modelVersionId}/
 *     padim.safetensors         statistics (ModelVersion.statsKey)
 *     detector.onnx             backbone + head in one graph (ModelVersion.detectorKey)
 *     detector.onnx.data        external initializers, only past protobuf's limit
 *     model.json                the manifest (preprocessing, taps, threshold block)
 *     accumulator.safetensors   the float64 (N, mean, M2) accumulator: reviews fold into it
 *
 * Files stream to and from disk, so multi-GB detectors never sit in memory whole.
 */
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { randomUUID } from 'node:crypto';
import { tenantKey, tenantPrefix, type ObjectStore } from '@padim/storage';
import { DETECTOR_DATA_FILE, DETECTOR_FILE } from '@padim/inference';
import { MANIFEST_FILE, STATS_FILE } from '@padim/inference';

export const ACCUMULATOR_FILE = 'accumulator.safetensors';

export interface VersionRef {
  readonly organizationId: string;
  readonly productModelId: string;
  readonly modelVersionId: string;
}

const CONTENT_TYPES: Record<string, string> = {
  [STATS_FILE]: 'application/octet-stream',
  [DETECTOR_FILE]: 'application/octet-stream',
  [DETECTOR_DATA_FILE]: 'application/octet-stream',
  [MANIFEST_FILE]: 'application/json',
  [ACCUMULATOR_FILE]: 'application/octet-stream',
};

export function versionPrefix(v: VersionRef): string {
  return tenantPrefix(v.organizationId, 'models', v.productModelId, 'versions', v.modelVersionId);
}

export function artifactKey(v: VersionRef, file: string): string {
  return tenantKey(
    v.organizationId,
    'models',
    v.productModelId,
    'versions',
    v.modelVersionId,
    file,
  );
}

export interface UploadedModel {
  readonly statsKey: string;
  readonly detectorKey: string;
  /** Bytes uploaded per file name. */
  readonly sizes: Readonly<Record<string, number>>;
}

/**
 * Uploads a saved model folder (and its accumulator file when present). The manifest goes last:
 * a reader that finds model.json finds every file it names.
 */
export async function uploadModelDir(
  store: ObjectStore,
  dir: string,
  v: VersionRef,
): Promise<UploadedModel> {
  const names = [STATS_FILE, DETECTOR_FILE, DETECTOR_DATA_FILE, ACCUMULATOR_FILE, MANIFEST_FILE];
  const sizes: Record<string, number> = {};
  for (const name of names) {
    const path = join(dir, name);
    if (!existsSync(path)) continue;
    const size = (await stat(path)).size;
    await store.put(
      artifactKey(v, name),
      { stream: createReadStream(path), size },
      { contentType: CONTENT_TYPES[name]! },
    );
    sizes[name] = size;
  }
  return {
    statsKey: artifactKey(v, STATS_FILE),
    detectorKey: artifactKey(v, DETECTOR_FILE),
    sizes,
  };
}

/**
 * Downloads a version's folder into `dir` (created; replaced when it exists), via a temporary
 * sibling folder renamed into place, so a crash never leaves a half-downloaded model that looks
 * whole. The accumulator is fetched only when `withAccumulator` (scoring does not need it).
 */
export async function downloadModelDir(
  store: ObjectStore,
  v: VersionRef,
  dir: string,
  options: { readonly withAccumulator?: boolean } = {},
): Promise<string> {
  const tmp = `${dir}.tmp-${randomUUID().slice(0, 8)}`;
  await mkdir(tmp, { recursive: true });
  try {
    const names = [STATS_FILE, DETECTOR_FILE, MANIFEST_FILE];
    if (options.withAccumulator) names.push(ACCUMULATOR_FILE);
    if (await store.exists(artifactKey(v, DETECTOR_DATA_FILE))) names.push(DETECTOR_DATA_FILE);
    for (const name of names) {
      const body = await store.getStream(artifactKey(v, name));
      await pipeline(body, createWriteStream(join(tmp, name)));
    }
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
    return dir;
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
}

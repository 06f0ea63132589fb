import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openObjectStore } from '@padim/jobs';
import type { ObjectStore } from '@padim/storage';
import type { AppConfig } from '../config/config.js';
import type { ReadinessCheck } from '../health/readiness.js';

/** Where the embedded mode keeps its generated URL-signing secret (mode 0600). */
export const SIGNING_SECRET_FILE = 'object-signing.key';

/** Path under which the API serves the filesystem store's presigned URLs. */
export const OBJECTS_ROUTE = '/objects';

/** The API's public origin: PUBLIC_URL, else http://HOST:PORT (a wildcard host becomes localhost). */
export function publicOrigin(config: AppConfig): string {
  if (config.PUBLIC_URL) return config.PUBLIC_URL.replace(/\/+$/, '');
  const host = ['0.0.0.0', '::', '[::]'].includes(config.HOST) ? 'localhost' : config.HOST;
  return `http://${host}:${config.PORT}`;
}

/**
 * OBJECT_SIGNING_SECRET, else a random secret generated once and kept in DATA_DIR, so presigned
 * URLs stay valid across restarts of the embedded mode without any set-up.
 */
async function signingSecret(config: AppConfig): Promise<string> {
  if (config.OBJECT_SIGNING_SECRET) return config.OBJECT_SIGNING_SECRET;
  await mkdir(config.DATA_DIR, { recursive: true });
  const file = join(config.DATA_DIR, SIGNING_SECRET_FILE);
  try {
    await writeFile(file, randomBytes(32).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    // EEXIST: an earlier start (or a concurrent one) made it; read that one.
    if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
  }
  const secret = (await readFile(file, 'utf8')).trim();
  if (secret.length < 32) throw new Error(`${file} holds fewer than 32 characters`);
  return secret;
}

/**
 * The store the configuration asks for (the platform's one opener); the filesystem store's presigned
 * URLs point at this API, which serves them on OBJECTS_ROUTE.
 */
export async function openApiObjectStore(config: AppConfig): Promise<ObjectStore> {
  if (config.S3_ENDPOINT) return openObjectStore(config);
  return openObjectStore(config, {
    baseUrl: publicOrigin(config),
    signingSecret: await signingSecret(config),
  });
}

/** A probe key that never exists: `head` answers null when the store is reachable. */
const PROBE_KEY = 'health/readiness-probe';

export function objectStoreReadiness(store: ObjectStore): ReadinessCheck {
  return { name: 'objectStore', check: async () => void (await store.head(PROBE_KEY)) };
}

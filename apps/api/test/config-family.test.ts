/**
 * One configuration schema family: every variable the API and a worker process both read has the
 * same name and default in both (they are built from the same shapes in @padim/jobs), so an API
 * running the jobs itself behaves as a worker process configured the same way.
 */
import { WORKER_CONFIG_KEYS, loadWorkerConfig } from '@padim/jobs';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, loadConfig } from '../src/config/config.js';

describe('the configuration family', () => {
  it('gives every shared variable the same default in the API and in a worker process', () => {
    const api = loadConfig({}) as Record<string, unknown>;
    const worker = loadWorkerConfig({
      DATABASE_URL: 'postgres://db/padim',
      REDIS_URL: 'redis://cache:6379',
    }) as Record<string, unknown>;
    const shared = WORKER_CONFIG_KEYS.filter((k) => CONFIG_KEYS.includes(k));
    // The job processes' settings and the storage, queue and image limits are all shared.
    for (const key of [
      'WORKER_MODEL_CACHE_MB',
      'WORKER_BATCH_SIZE',
      'WORKER_CHECKPOINT_EVERY',
      'WEBHOOK_ALLOW_PRIVATE_TARGETS',
      'S3_BUCKET',
      'REDIS_PREFIX',
      'IMAGE_MAX_BYTES',
      'IMAGE_MAX_PIXELS',
      'DATA_DIR',
    ])
      expect(shared, key).toContain(key);
    for (const key of shared.filter((k) => !['DATABASE_URL', 'REDIS_URL'].includes(k)))
      expect(worker[key], key).toEqual(api[key]);
  });

  it('validates a shared variable the same way in both', () => {
    for (const env of [{ WORKER_BATCH_SIZE: '0' }, { S3_ENDPOINT: 'minio' }]) {
      expect(() => loadConfig(env)).toThrow(/WORKER_BATCH_SIZE|S3_ACCESS_KEY/);
      expect(() =>
        loadWorkerConfig({ DATABASE_URL: 'postgres://db/p', REDIS_URL: 'redis://r:6379', ...env }),
      ).toThrow(/WORKER_BATCH_SIZE|S3_ACCESS_KEY/);
    }
  });
});

import { randomUUID } from 'node:crypto';

import { Redis } from 'ioredis';

export const REDIS_HOST = process.env.REDIS_HOST ?? '127.0.0.1';
export const REDIS_PORT = Number(process.env.REDIS_PORT ?? 6379);

/** A key prefix no other run uses (the Redis server is shared). */
export function uniquePrefix(): string {
  return `padim-queue-test-${randomUUID().slice(0, 8)}`;
}

export function newRedis(): Redis {
  return new Redis({ host: REDIS_HOST, port: REDIS_PORT, maxRetriesPerRequest: null });
}

/** Deletes every key under `prefix` (and the prefix's own keys: `{prefix}:...`). */
export async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
}

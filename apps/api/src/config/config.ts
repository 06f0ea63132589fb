import {
  ConfigError,
  IMAGE_ENV,
  QUEUE_ENV,
  STORAGE_ENV,
  WORKER_ENV,
  parseConfig,
} from '@padim/jobs';
import { z } from 'zod';

export { ConfigError };

/**
 * Every environment variable the API reads, with its default. Read once at start-up; everything
 * else receives the typed `AppConfig`. A bad environment fails start-up naming every bad variable.
 */
const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** 'postgres' uses DATABASE_URL; 'pglite' the embedded database under DATA_DIR. */
  DATABASE_KIND: z.enum(['postgres', 'pglite']).default('pglite'),
  DATABASE_URL: z.string().url().optional(),
  GRAPHQL_INTROSPECTION: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(1).max(50).default(10),
  GRAPHQL_MAX_COMPLEXITY: z.coerce.number().int().min(1).default(1000),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(24 * 14),
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug']).default('log'),
  // Object store, queue, worker and image limits: the platform's shared shapes (@padim/jobs), so
  // the API, its embedded worker and worker processes read each variable with one default.
  ...STORAGE_ENV,
  ...QUEUE_ENV,
  ...WORKER_ENV,
  ...IMAGE_ENV,
  /** The API's public origin: base of the filesystem store's presigned URLs (default http://HOST:PORT). */
  PUBLIC_URL: z.string().url().optional(),
  /** HMAC secret of the filesystem store's URLs (>= 32 chars); generated into DATA_DIR when unset. */
  OBJECT_SIGNING_SECRET: z.string().min(32).optional(),
  /** Files per requestImageUploads / confirmImageUploads call. */
  UPLOAD_MAX_FILES: z.coerce.number().int().min(1).max(1000).default(100),
  /** GraphQL multipart (uploadImages): bytes per file and files per request. */
  MULTIPART_MAX_FILE_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(10 * 1024 * 1024),
  MULTIPART_MAX_FILES: z.coerce.number().int().min(1).max(100).default(20),
  /** Lifetime of presigned upload (PUT) and download (GET) URLs. */
  UPLOAD_URL_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
  DOWNLOAD_URL_TTL_SECONDS: z.coerce.number().int().min(10).max(86_400).default(300),
  // Queue and event bus (QUEUE_ENV): with REDIS_URL, BullMQ queues and Redis pub/sub shared by every
  // API and worker process; without, the in-process queue and bus, and this process runs the jobs.
  /**
   * Run the worker (training, inspection, webhooks) inside the API process: 'auto' does so when
   * REDIS_URL is unset (the in-process queue has no other consumer).
   */
  WORKER_EMBEDDED: z.enum(['auto', 'true', 'false']).default('auto'),
  /** How long `inspectImage` waits for the worker's result before answering PENDING. */
  INSPECT_SYNC_TIMEOUT_MS: z.coerce.number().int().min(0).max(120_000).default(15_000),
});

export type AppConfig = z.infer<typeof schema>;

/** Validates the environment; throws ConfigError listing every bad variable at once. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): AppConfig {
  return parseConfig(schema, env, (config) => [
    ...(config.DATABASE_KIND === 'postgres' && !config.DATABASE_URL
      ? ['DATABASE_URL: required when DATABASE_KIND=postgres']
      : []),
    ...(config.WORKER_EMBEDDED === 'false' && !config.REDIS_URL
      ? ['WORKER_EMBEDDED: without REDIS_URL only this process can run the jobs']
      : []),
  ]);
}

/** Names and defaults, for docs and .env.example. */
export const CONFIG_KEYS = Object.keys(schema.shape);

export const APP_CONFIG = Symbol('APP_CONFIG');

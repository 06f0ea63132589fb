import { z } from 'zod';

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
  DATA_DIR: z.string().min(1).default('./.data'),
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
  // Object store (apps/api/src/storage). S3 (MinIO) when S3_ENDPOINT is set, else the embedded
  // filesystem store under DATA_DIR/objects whose presigned URLs the API serves on /objects/*.
  S3_ENDPOINT: z.string().min(1).optional(),
  S3_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  S3_USE_SSL: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  S3_ACCESS_KEY: z.string().min(1).optional(),
  S3_SECRET_KEY: z.string().min(1).optional(),
  S3_BUCKET: z.string().min(3).max(63).default('padim'),
  S3_REGION: z.string().min(1).default('us-east-1'),
  /** Origin that browsers use to reach the S3 server, when it differs from S3_ENDPOINT. */
  S3_PUBLIC_URL: z.string().url().optional(),
  /** The API's public origin: base of the filesystem store's presigned URLs (default http://HOST:PORT). */
  PUBLIC_URL: z.string().url().optional(),
  /** HMAC secret of the filesystem store's URLs (>= 32 chars); generated into DATA_DIR when unset. */
  OBJECT_SIGNING_SECRET: z.string().min(32).optional(),
  /** Largest image accepted, in bytes (both upload paths). */
  IMAGE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(25 * 1024 * 1024),
  /** Largest image accepted, in pixels (width x height, read from the header before decoding). */
  IMAGE_MAX_PIXELS: z.coerce.number().int().min(1).default(50_000_000),
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
  /** Let webhooks target private networks and this machine (SSRF guard off: tests, closed plants). */
  WEBHOOK_ALLOW_PRIVATE_TARGETS: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  DOWNLOAD_URL_TTL_SECONDS: z.coerce.number().int().min(10).max(86_400).default(300),
  // Queue and event bus. With REDIS_URL: BullMQ queues and Redis pub/sub shared by every API and
  // worker process. Without: the in-process queue and bus, and this process runs the worker too.
  REDIS_URL: z.string().url().optional(),
  /** Prefix of every Redis key and channel; processes that work together use the same one. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,50}$/)
    .default('padim'),
  /**
   * Run the worker (training, inspection, webhooks) inside the API process: 'auto' does so when
   * REDIS_URL is unset (the in-process queue has no other consumer).
   */
  WORKER_EMBEDDED: z.enum(['auto', 'true', 'false']).default('auto'),
  /** Detectors the embedded worker keeps loaded, in MiB (least recently used evicted past it). */
  WORKER_MODEL_CACHE_MB: z.coerce.number().int().min(64).default(2048),
  /** How long `inspectImage` waits for the worker's result before answering PENDING. */
  INSPECT_SYNC_TIMEOUT_MS: z.coerce.number().int().min(0).max(120_000).default(15_000),
});

export type AppConfig = z.infer<typeof schema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Validates the environment; throws ConfigError listing every bad variable at once. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): AppConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`),
    );
  }
  const config = parsed.data;
  const problems: string[] = [];
  if (config.DATABASE_KIND === 'postgres' && !config.DATABASE_URL) {
    problems.push('DATABASE_URL: required when DATABASE_KIND=postgres');
  }
  if (config.S3_ENDPOINT && (!config.S3_ACCESS_KEY || !config.S3_SECRET_KEY)) {
    problems.push('S3_ACCESS_KEY, S3_SECRET_KEY: required when S3_ENDPOINT is set');
  }
  if (config.WORKER_EMBEDDED === 'false' && !config.REDIS_URL) {
    problems.push('WORKER_EMBEDDED: without REDIS_URL only this process can run the jobs');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** Names and defaults, for docs and .env.example. */
export const CONFIG_KEYS = Object.keys(schema.shape);

export const APP_CONFIG = Symbol('APP_CONFIG');

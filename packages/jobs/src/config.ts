/**
 * One configuration schema family for the platform's processes: the API (apps/api adds its own
 * variables to these shapes) and the inference service (apps/worker). A variable has one name and
 * one default wherever it is read; the API's embedded worker reads the same WORKER_* settings as a
 * worker process.
 */
import { join } from 'node:path';
import { FsObjectStore, S3ObjectStore, type ObjectStore } from '@padim/storage';
import { z } from 'zod';

/** 'true' / 'false' environment flags. */
export const envFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true');

/** Where data lives: the object store (S3 when S3_ENDPOINT is set) and the local data folder. */
export const STORAGE_ENV = {
  DATA_DIR: z.string().min(1).default('./.data'),
  S3_ENDPOINT: z.string().min(1).optional(),
  S3_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  S3_USE_SSL: envFlag(false),
  S3_ACCESS_KEY: z.string().min(1).optional(),
  S3_SECRET_KEY: z.string().min(1).optional(),
  S3_BUCKET: z.string().min(3).max(63).default('padim'),
  S3_REGION: z.string().min(1).default('us-east-1'),
  /** Origin that browsers use to reach the S3 server, when it differs from S3_ENDPOINT. */
  S3_PUBLIC_URL: z.string().url().optional(),
} as const;

/** The queues and the event bus shared by every API and worker process. */
export const QUEUE_ENV = {
  REDIS_URL: z.string().url().optional(),
  /** Prefix of every Redis key and channel; processes that work together use the same one. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,50}$/)
    .default('padim'),
} as const;

/** What runs the jobs, in a worker process or in the API's embedded mode. */
export const WORKER_ENV = {
  /** Detectors kept loaded, in MiB (the least recently used are evicted past it). */
  WORKER_MODEL_CACHE_MB: z.coerce.number().int().min(64).default(2048),
  WORKER_TRAINING_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(1),
  WORKER_INSPECTION_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  WORKER_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
  /** BullMQ's stalled-job check period: how soon a dead worker's job is picked up again. */
  WORKER_STALLED_INTERVAL_MS: z.coerce.number().int().min(100).default(30_000),
  WORKER_SWEEP_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
  /** Images per backbone batch. */
  WORKER_BATCH_SIZE: z.coerce.number().int().min(1).max(256).default(8),
  /** Accumulator checkpoints every this many batches of a fit (a retried job resumes there). */
  WORKER_CHECKPOINT_EVERY: z.coerce.number().int().min(1).default(10),
  /** Let webhooks target private networks and this machine (SSRF guard off: tests, closed plants). */
  WEBHOOK_ALLOW_PRIVATE_TARGETS: envFlag(false),
  /** Where ImageNet weights are cached (default ~/.cache/padim). */
  PADIM_CACHE_DIR: z.string().min(1).optional(),
} as const;

/** Limits on images, on every path that accepts one. */
export const IMAGE_ENV = {
  /** Largest image accepted, in bytes. */
  IMAGE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(25 * 1024 * 1024),
  /** Largest image accepted, in pixels (width x height, read from the header before decoding). */
  IMAGE_MAX_PIXELS: z.coerce.number().int().min(1).default(50_000_000),
} as const;

/** The inference service's own variables. */
const WORKER_PROCESS_ENV = {
  DATABASE_URL: z.string().url(),
  REDIS_URL: z.string().url(),
  /** The inference HTTP service (POST /predict); port 0 picks a free one, -1 disables it. */
  WORKER_HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  WORKER_HTTP_PORT: z.coerce.number().int().min(-1).max(65535).default(4100),
} as const;

const workerSchema = z.object({
  ...STORAGE_ENV,
  ...QUEUE_ENV,
  ...WORKER_ENV,
  ...IMAGE_ENV,
  ...WORKER_PROCESS_ENV,
});

export type WorkerConfig = z.infer<typeof workerSchema>;
/** The settings of the job processes (WORKER_*), as any process that runs them reads them. */
export type WorkerSettings = z.infer<ReturnType<typeof z.object<typeof WORKER_ENV>>> & {
  readonly DATA_DIR: string;
};
/** The object-store settings, as any process reads them. */
export type StorageConfig = z.infer<ReturnType<typeof z.object<typeof STORAGE_ENV>>>;

/** Every variable the inference service reads. */
export const WORKER_CONFIG_KEYS = Object.keys(workerSchema.shape);

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Validates `env` against `schema` and the cross-variable rules every process shares; throws
 * ConfigError naming every bad variable at once.
 */
export function parseConfig<S extends z.ZodType<Partial<StorageConfig>>>(
  schema: S,
  env: Readonly<Record<string, string | undefined>>,
  extraChecks: (config: z.infer<S>) => readonly string[] = () => [],
): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success)
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`),
    );
  const config = parsed.data;
  const problems: string[] = [];
  if (config.S3_ENDPOINT && (!config.S3_ACCESS_KEY || !config.S3_SECRET_KEY))
    problems.push('S3_ACCESS_KEY, S3_SECRET_KEY: required when S3_ENDPOINT is set');
  problems.push(...extraChecks(config));
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

export function loadWorkerConfig(env: Readonly<Record<string, string | undefined>>): WorkerConfig {
  return parseConfig(workerSchema, env);
}

/**
 * Opens the object store the configuration asks for: S3 (MinIO) when S3_ENDPOINT is set (the
 * bucket is created when missing), else the filesystem store under DATA_DIR/objects. `presign`
 * gives the filesystem store the origin and secret of the URLs it signs (the API serves them); a
 * worker never presigns.
 */
export async function openObjectStore(
  config: StorageConfig,
  presign?: { readonly baseUrl: string; readonly signingSecret: string },
): Promise<ObjectStore> {
  if (config.S3_ENDPOINT) {
    const store = new S3ObjectStore({
      endpoint: config.S3_ENDPOINT,
      useSSL: config.S3_USE_SSL,
      accessKey: config.S3_ACCESS_KEY!,
      secretKey: config.S3_SECRET_KEY!,
      bucket: config.S3_BUCKET,
      region: config.S3_REGION,
      ...(config.S3_PORT === undefined ? {} : { port: config.S3_PORT }),
      ...(config.S3_PUBLIC_URL === undefined ? {} : { publicUrl: config.S3_PUBLIC_URL }),
    });
    await store.ensureBucket();
    return store;
  }
  return FsObjectStore.open({ root: join(config.DATA_DIR, 'objects'), ...(presign ?? {}) });
}

/**
 * `padim worker`: a worker process of the production deployment. It consumes the training,
 * inspection and webhook queues on Redis (any number of workers on any number of machines share
 * them), writes results to PostgreSQL and the object store, publishes live events, and answers
 * HTTP for edge integrations (POST /predict, GET /healthz, GET /readyz).
 *
 * Configuration: the same variable names as the API (see .env.example), read once here.
 */
import { join } from 'node:path';
import { createPrismaClient } from '@padim/db';
import { BullMqQueue, RedisEventBus } from '@padim/queue';
import { FsObjectStore, S3ObjectStore, type ObjectStore } from '@padim/storage';
import { z } from 'zod';
import type { WorkerDeps } from './context.js';
import { createInferenceServer } from './http.js';
import { ModelCache } from './model-cache.js';
import { startWorker } from './worker.js';

const flag = z
  .enum(['true', 'false'])
  .default('false')
  .transform((v) => v === 'true');

const schema = z.object({
  DATABASE_URL: z.string().url(),
  REDIS_URL: z.string().url(),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,50}$/)
    .default('padim'),
  DATA_DIR: z.string().min(1).default('./.data'),
  S3_ENDPOINT: z.string().min(1).optional(),
  S3_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  S3_USE_SSL: flag,
  S3_ACCESS_KEY: z.string().min(1).optional(),
  S3_SECRET_KEY: z.string().min(1).optional(),
  S3_BUCKET: z.string().min(3).max(63).default('padim'),
  S3_REGION: z.string().min(1).default('us-east-1'),
  /** Detectors kept loaded, in MiB (the least recently used are evicted past it). */
  WORKER_MODEL_CACHE_MB: z.coerce.number().int().min(64).default(4096),
  WORKER_TRAINING_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(1),
  WORKER_INSPECTION_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /** The inference HTTP service (POST /predict); port 0 picks a free one, -1 disables it. */
  WORKER_HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  WORKER_HTTP_PORT: z.coerce.number().int().min(-1).max(65535).default(4100),
  WORKER_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
  /** BullMQ's stalled-job check period: how soon a dead worker's job is picked up again. */
  WORKER_STALLED_INTERVAL_MS: z.coerce.number().int().min(100).default(30_000),
  WORKER_SWEEP_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
  /** Images per backbone batch. */
  WORKER_BATCH_SIZE: z.coerce.number().int().min(1).max(256).default(8),
  /** Accumulator checkpoints every this many batches of a fit (a retried job resumes there). */
  WORKER_CHECKPOINT_EVERY: z.coerce.number().int().min(1).default(10),
  IMAGE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(25 * 1024 * 1024),
  WEBHOOK_ALLOW_PRIVATE_TARGETS: flag,
  PADIM_CACHE_DIR: z.string().min(1).optional(),
});

export type WorkerConfig = z.infer<typeof schema>;

export function loadWorkerConfig(env: Readonly<Record<string, string | undefined>>): WorkerConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success)
    throw new Error(
      `invalid worker configuration:\n${parsed.error.issues
        .map((i) => `  - ${i.path.join('.')}: ${i.message}`)
        .join('\n')}`,
    );
  const c = parsed.data;
  if (c.S3_ENDPOINT && (!c.S3_ACCESS_KEY || !c.S3_SECRET_KEY))
    throw new Error(
      'invalid worker configuration:\n  - S3_ACCESS_KEY, S3_SECRET_KEY: required with S3_ENDPOINT',
    );
  return c;
}

async function openStore(c: WorkerConfig): Promise<ObjectStore> {
  if (c.S3_ENDPOINT) {
    const store = new S3ObjectStore({
      endpoint: c.S3_ENDPOINT,
      useSSL: c.S3_USE_SSL,
      accessKey: c.S3_ACCESS_KEY!,
      secretKey: c.S3_SECRET_KEY!,
      bucket: c.S3_BUCKET,
      region: c.S3_REGION,
      ...(c.S3_PORT === undefined ? {} : { port: c.S3_PORT }),
    });
    await store.ensureBucket();
    return store;
  }
  // The filesystem store of a single machine (the API's DATA_DIR/objects); the worker never
  // presigns, so it needs no URL or signing secret.
  return FsObjectStore.open({ root: join(c.DATA_DIR, 'objects') });
}

/** Starts everything; resolves with a stop function once the worker consumes its queues. */
export async function runWorkerProcess(
  env: Readonly<Record<string, string | undefined>>,
  log: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<{ stop(): Promise<void>; httpPort: number | null }> {
  const c = loadWorkerConfig(env);
  const database = await createPrismaClient({ kind: 'postgres', url: c.DATABASE_URL });
  const store = await openStore(c);
  const queue = new BullMqQueue({
    connection: c.REDIS_URL,
    prefix: c.REDIS_PREFIX,
    lockMs: c.WORKER_LOCK_MS,
    stalledIntervalMs: c.WORKER_STALLED_INTERVAL_MS,
  });
  const bus = new RedisEventBus({ connection: c.REDIS_URL, prefix: c.REDIS_PREFIX });
  const cache = new ModelCache({
    store,
    cacheDir: join(c.DATA_DIR, 'worker', 'models'),
    memoryBudgetBytes: c.WORKER_MODEL_CACHE_MB * 1024 * 1024,
  });
  const deps: WorkerDeps = {
    prisma: database.prisma,
    store,
    queue,
    bus,
    cache,
    workDir: join(c.DATA_DIR, 'worker', 'work'),
    batchSize: c.WORKER_BATCH_SIZE,
    checkpointEvery: c.WORKER_CHECKPOINT_EVERY,
    ...(c.PADIM_CACHE_DIR ? { weightsCacheDir: c.PADIM_CACHE_DIR } : {}),
    log,
  };
  const worker = await startWorker(deps, {
    trainingConcurrency: c.WORKER_TRAINING_CONCURRENCY,
    inspectionConcurrency: c.WORKER_INSPECTION_CONCURRENCY,
    lockMs: c.WORKER_LOCK_MS,
    allowPrivateWebhookTargets: c.WEBHOOK_ALLOW_PRIVATE_TARGETS,
    sweepIntervalMs: c.WORKER_SWEEP_INTERVAL_MS,
  });
  let server: ReturnType<typeof createInferenceServer> | undefined;
  let httpPort: number | null = null;
  if (c.WORKER_HTTP_PORT >= 0) {
    server = createInferenceServer({
      prisma: database.prisma,
      cache,
      store,
      maxImageBytes: c.IMAGE_MAX_BYTES,
    });
    await new Promise<void>((resolve) =>
      server!.listen(c.WORKER_HTTP_PORT, c.WORKER_HTTP_HOST, resolve),
    );
    const address = server.address();
    httpPort = typeof address === 'object' && address ? address.port : null;
    log(`inference service on http://${c.WORKER_HTTP_HOST}:${httpPort}/predict`);
  }
  log(
    `worker ready (queues on ${c.REDIS_URL.replace(/\/\/[^@]*@/, '//')}, prefix ${c.REDIS_PREFIX})`,
  );
  return {
    httpPort,
    async stop() {
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      await worker.close();
      await queue.close();
      await bus.close();
      await database.dispose();
    },
  };
}

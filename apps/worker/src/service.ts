/**
 * The inference service (apps/worker): a worker process of the production deployment. It consumes
 * the training, inspection and webhook queues on Redis (any number of workers on any number of
 * machines share them), writes results to PostgreSQL and the object store, publishes live events, and answers
 * HTTP for edge integrations (POST /predict, GET /healthz, GET /readyz).
 *
 * Configuration: the platform's one schema family (`loadWorkerConfig` in @padim/jobs, the same
 * names and defaults as the API's), read once here.
 */
import { createPrismaClient } from '@padim/db';
import { BullMqQueue, RedisEventBus } from '@padim/queue';
import { loadWorkerConfig, openObjectStore } from '@padim/jobs';
import { startConfiguredWorker } from '@padim/jobs/handlers';
import { createInferenceServer } from './http/index.js';

export interface RunningWorkerProcess {
  readonly httpPort: number | null;
  stop(): Promise<void>;
}

/** Starts everything; resolves with a stop function once the worker consumes its queues. */
export async function runWorkerProcess(
  env: Readonly<Record<string, string | undefined>>,
  log: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<RunningWorkerProcess> {
  const c = loadWorkerConfig(env);
  const database = await createPrismaClient({ kind: 'postgres', url: c.DATABASE_URL });
  // A worker never presigns: the filesystem store needs no URL or signing secret here.
  const store = await openObjectStore(c);
  const queue = new BullMqQueue({
    connection: c.REDIS_URL,
    prefix: c.REDIS_PREFIX,
    lockMs: c.WORKER_LOCK_MS,
    stalledIntervalMs: c.WORKER_STALLED_INTERVAL_MS,
  });
  const bus = new RedisEventBus({ connection: c.REDIS_URL, prefix: c.REDIS_PREFIX });
  const { worker, cache } = await startConfiguredWorker(c, {
    prisma: database.prisma,
    store,
    queue,
    bus,
    log,
  });
  let server: ReturnType<typeof createInferenceServer> | undefined;
  let httpPort: number | null = null;
  if (c.WORKER_HTTP_PORT >= 0) {
    server = createInferenceServer({
      prisma: database.prisma,
      cache,
      store,
      maxImageBytes: c.IMAGE_MAX_BYTES,
      maxInputPixels: c.IMAGE_MAX_PIXELS,
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

/** Runs the worker process until SIGINT or SIGTERM, then stops it (running jobs finish first). */
export async function runUntilSignalled(
  env: Readonly<Record<string, string | undefined>>,
): Promise<void> {
  const running = await runWorkerProcess(env);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await running.stop();
}

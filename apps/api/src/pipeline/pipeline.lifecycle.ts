import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { PrismaClient } from '@padim/db';
import type { RunningWorker } from '@padim/jobs/handlers';
import type { EventBus, JobQueue } from '@padim/queue';
import type { ObjectStore } from '@padim/storage';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { PRISMA } from '../database/database.module.js';
import { EVENT_BUS } from '../events/event-bus.token.js';
import { OBJECT_STORE } from '../storage/storage.module.js';
import { EMBEDDED_WORKER, JOB_QUEUE, type EmbeddedWorkerMode } from './pipeline.tokens.js';

/**
 * Starts the embedded worker (when this process must run the jobs itself) once the app is up, and
 * stops it and closes the queue before the rest shuts down (the bus and the database are still
 * open while the worker finishes its running jobs).
 */
@Injectable()
export class PipelineLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Worker');
  private worker: RunningWorker | undefined;

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EMBEDDED_WORKER) private readonly mode: EmbeddedWorkerMode,
  ) {}

  private get embedded(): boolean {
    if (this.mode !== 'auto') return this.mode === 'on';
    const c = this.config.WORKER_EMBEDDED;
    return c === 'true' || (c === 'auto' && !this.config.REDIS_URL);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.embedded) return;
    // Loaded here only: an API that does not run the jobs never loads onnxruntime.
    const { startConfiguredWorker } = await import('@padim/jobs/handlers');
    ({ worker: this.worker } = await startConfiguredWorker(this.config, {
      prisma: this.prisma,
      store: this.store,
      queue: this.queue,
      bus: this.bus,
      log: (line) => this.logger.log(line),
    }));
    // Rows a previous run left behind (the in-process queue does not survive a restart): every
    // RUNNING or PROCESSING row is orphaned, a fit resumes from its checkpoint.
    void this.worker
      .sweep(this.config.REDIS_URL ? {} : { staleMs: 0 })
      .catch((e: unknown) => this.logger.warn(`sweep: ${String(e)}`));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    this.worker = undefined;
    await this.queue.close();
  }
}

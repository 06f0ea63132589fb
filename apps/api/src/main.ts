import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { AppModule, type AppOptions } from './app.module.js';
import { join } from 'node:path';
import { createPrismaClient, type Database } from '@padim/db';
import { loadConfig, type AppConfig } from './config/config.js';
import { openApiObjectStore } from './storage/object-store.factory.js';
import { mountGraphqlUploads, mountObjectRoutes } from './storage/http.js';
import { openEventBus } from './events/event-bus.factory.js';
import { BullMqQueue, InProcessQueue, type JobQueue } from '@padim/queue';

/** BullMQ on Redis when REDIS_URL is set (several API and worker processes), else in-process. */
export function openQueue(config: AppConfig): JobQueue {
  return config.REDIS_URL
    ? new BullMqQueue({ connection: config.REDIS_URL, prefix: config.REDIS_PREFIX })
    : new InProcessQueue();
}

export async function createApp(options: AppOptions): Promise<INestApplication> {
  const objectStore = options.objectStore ?? (await openApiObjectStore(options.config));
  const eventBus = options.eventBus ?? openEventBus(options.config);
  const queue = options.queue ?? openQueue(options.config);
  const app = await NestFactory.create(
    AppModule.forRoot({ ...options, objectStore, eventBus, queue }),
    { logger: ['error', 'warn'] },
  ).catch(async (error: unknown) => {
    // The app closes the bus and queue on shutdown; one that never started closes what it opened.
    if (!options.eventBus) await eventBus.close();
    if (!options.queue) await queue.close();
    throw error;
  });
  // Before init, so they run ahead of the body parsers and Apollo.
  mountObjectRoutes(app, objectStore);
  mountGraphqlUploads(app, options.config);
  app.enableShutdownHooks();
  return app;
}

/** Opens the configured database and applies pending migrations (PGlite and PostgreSQL alike). */
export async function openDatabase(config: AppConfig): Promise<Database> {
  const db = await createPrismaClient(
    config.DATABASE_KIND === 'postgres'
      ? { kind: 'postgres', url: config.DATABASE_URL! }
      : { kind: 'pglite', dataDir: join(config.DATA_DIR, 'db') },
  );
  await db.migrate();
  return db;
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const database = await openDatabase(config);
  const app = await createApp({ config, database });
  await app.listen(config.PORT, config.HOST);
  process.stdout.write(`API listening on http://${config.HOST}:${config.PORT}/graphql\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}

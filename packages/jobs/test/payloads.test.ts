/**
 * A malformed payload taken off the real queue (BullMQ on Redis) fails its job at once, with a
 * reason that names the bad field, and touches no row.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PrismaClient } from '@padim/db';
import { freshPostgres, type FreshPostgres } from '@padim/db/testing';
import { BullMqQueue, InProcessEventBus, QUEUES, type QueueEvent } from '@padim/queue';
import { FsObjectStore } from '@padim/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelCache, startWorker, type RunningWorker } from './helpers/api.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('job payloads off the queue', () => {
  let pg: FreshPostgres;
  let prisma: PrismaClient;
  let queue: BullMqQueue;
  let worker: RunningWorker;
  const dir = mkdtempSync(join(tmpdir(), 'padim-payloads-'));

  beforeAll(async () => {
    pg = await freshPostgres('padim_payloads');
    prisma = pg.database.prisma;
    queue = new BullMqQueue({
      connection: REDIS_URL,
      prefix: `padim-payloads-${randomBytes(4).toString('hex')}`,
    });
    const store = await FsObjectStore.open({ root: join(dir, 'objects') });
    worker = await startWorker(
      {
        prisma,
        store,
        queue,
        bus: new InProcessEventBus(),
        cache: new ModelCache({ store, cacheDir: join(dir, 'cache'), memoryBudgetBytes: 1 << 26 }),
        workDir: join(dir, 'work'),
      },
      { sweepIntervalMs: 0 },
    );
  });

  afterAll(async () => {
    await worker?.close();
    await queue?.close();
    await pg?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails training, inspection and webhook jobs whose payload is malformed, naming the field', async () => {
    const cases = [
      [
        QUEUES.training,
        { organizationId: 'org-1' },
        /malformed training job payload: trainingJobId/,
      ],
      [
        QUEUES.inspection,
        { organizationId: 'org-1', inspectionId: 7 },
        /malformed inspection job payload: inspectionId/,
      ],
      [QUEUES.webhooks, { deliveryId: 'd1' }, /malformed webhook job payload: organizationId/],
    ] as const;
    for (const [name, payload, reason] of cases) {
      const failed = new Promise<QueueEvent>((resolve) => {
        void queue.onEvent(name, (event) => {
          if (event.type === 'failed' || event.type === 'completed') resolve(event);
        });
      });
      await new Promise((r) => setTimeout(r, 100));
      // Three attempts allowed: a malformed payload still fails on the first, without retries.
      const { id } = await queue.enqueue(name, payload, { attempts: 3, backoffMs: 10 });
      const event = await failed;
      expect(event).toMatchObject({ type: 'failed', jobId: id });
      expect((event as { error: string }).error).toMatch(reason);
      expect(await queue.getJob(name, id)).toMatchObject({ state: 'failed', attempts: 1 });
    }
    // Nothing was written anywhere.
    expect(await prisma.trainingJob.count()).toBe(0);
    expect(await prisma.inspection.count()).toBe(0);
    expect(await prisma.webhookDelivery.count()).toBe(0);
    expect(await prisma.auditEvent.count()).toBe(0);
  });
});

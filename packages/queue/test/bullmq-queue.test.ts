import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';

import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { BullMqQueue, type QueueEvent } from '../src/index.js';
import { describeQueueContract } from './helpers/contract.js';
import { REDIS_HOST, REDIS_PORT, deletePrefix, newRedis, uniquePrefix } from './helpers/redis.js';
import { sleep, waitFor } from './helpers/wait.js';

// Fast stall recovery for tests: a dead worker's lock expires after LOCK_MS and the next stalled
// check (every STALLED_MS) moves its job back to waiting. Production keeps BullMQ's 30 s defaults.
const LOCK_MS = 1000;
const STALLED_MS = 500;

const prefix = uniquePrefix();
let redis: Redis;
const connection = { host: REDIS_HOST, port: REDIS_PORT };

function open(): BullMqQueue {
  return new BullMqQueue({
    connection,
    prefix,
    lockMs: LOCK_MS,
    stalledIntervalMs: STALLED_MS,
    cancelPollMs: 200,
  });
}

beforeAll(() => {
  redis = newRedis();
});

afterAll(async () => {
  await deletePrefix(redis, prefix);
  await redis.quit();
});

describeQueueContract('BullMqQueue', async () => open());

describe('BullMqQueue across processes', () => {
  it('delivers events and cancellation between separate clients', async () => {
    const producer = open();
    const consumer = open();
    const watcher = open();
    const queue = `x-${randomUUID().slice(0, 8)}`;
    try {
      const seen: QueueEvent[] = [];
      await watcher.onEvent(queue, (e) => seen.push(e));
      await consumer.worker(queue, async (job) => {
        await job.progress(0.5);
        if (job.payload === 'hang') {
          await new Promise((resolve) => job.signal.addEventListener('abort', resolve));
        }
        return 'done';
      });
      const done = await producer.enqueue(queue, 'quick');
      const hang = await producer.enqueue(queue, 'hang');
      await waitFor(async () =>
        (await producer.getJob(queue, hang.id))?.state === 'active' ? true : undefined,
      );
      expect(await producer.cancel(queue, hang.id)).toBe(true);
      await waitFor(async () =>
        (await watcher.getJob(queue, hang.id))?.state === 'cancelled' ? true : undefined,
      );
      await waitFor(() => (seen.some((e) => e.type === 'cancelled') ? true : undefined));
      expect(seen).toEqual([
        { type: 'progress', queue, jobId: done.id, progress: 0.5 },
        { type: 'completed', queue, jobId: done.id, result: 'done' },
        { type: 'progress', queue, jobId: hang.id, progress: 0.5 },
        { type: 'cancelled', queue, jobId: hang.id },
      ]);
    } finally {
      await Promise.all([producer.close(), consumer.close(), watcher.close()]);
    }
  });
});

describe('BullMqQueue: a worker process killed mid-job', () => {
  const fixture = fileURLToPath(new URL('./fixtures/stall-worker.ts', import.meta.url));
  let child: ChildProcess | undefined;

  afterAll(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  it('is retried by another worker and completes exactly once', async () => {
    const queue = `kill-${randomUUID().slice(0, 8)}`;
    const proc = spawn(
      process.execPath,
      ['--import', 'tsx', fixture, prefix, queue, String(LOCK_MS), String(STALLED_MS)],
      { stdio: ['ignore', 'pipe', 'pipe'], env: process.env },
    );
    child = proc;
    let out = '';
    let err = '';
    proc.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    proc.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      proc.on('exit', (_code, signal) => resolve(signal)),
    );

    const queueClient = open();
    try {
      await waitFor(
        () => (out.includes('ready') ? true : undefined),
        20_000,
        `child ready (${err})`,
      );
      const { id } = await queueClient.enqueue(queue, { image: 'a.png' }, { jobId: 'train-1' });
      await waitFor(
        () => (out.includes(`taken ${id} 1`) ? true : undefined),
        10_000,
        'child takes',
      );
      expect(await queueClient.getJob(queue, id)).toMatchObject({ state: 'active', attempts: 1 });

      proc.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');

      const attemptsSeen: number[] = [];
      await queueClient.worker(queue, async (job) => {
        attemptsSeen.push(job.attempt);
        await redis.incr(`${prefix}:started`);
        await redis.incr(`${prefix}:completed`);
        return { version: 1 };
      });
      const info = await waitFor(
        async () => {
          const job = await queueClient.getJob(queue, id);
          return job?.state === 'completed' ? job : undefined;
        },
        15_000,
        'the job to complete on the second worker',
      );
      expect(info.attempts).toBeGreaterThan(1);
      expect(info.result).toEqual({ version: 1 });
      // Several stalled-check periods later, nothing ran it again.
      await sleep(LOCK_MS + 3 * STALLED_MS);
      expect(await redis.get(`${prefix}:completed`)).toBe('1');
      expect(await redis.get(`${prefix}:started`)).toBe('2');
      expect(attemptsSeen).toEqual([2]);
      expect((await queueClient.getJob(queue, id))?.state).toBe('completed');
    } finally {
      await queueClient.close();
    }
  });
});

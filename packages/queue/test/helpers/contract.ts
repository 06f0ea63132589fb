import { randomUUID } from 'node:crypto';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import {
  FinalJobError,
  QueueErrorCode,
  type JobInfo,
  type JobQueue,
  type JsonValue,
  type QueueEvent,
} from '../../src/index.js';
import { deferred, sleep, waitFor } from './wait.js';

/** The semantics both implementations promise; `open` gives a fresh queue client per test. */
export function describeQueueContract(name: string, open: () => Promise<JobQueue>): void {
  describe(`${name}: JobQueue contract`, () => {
    let queue: JobQueue;
    let qname: string;
    const events: QueueEvent[] = [];

    beforeEach(async () => {
      queue = await open();
      qname = `q-${randomUUID().slice(0, 8)}`;
      events.length = 0;
      await queue.onEvent(qname, (event) => events.push(event));
    });

    afterEach(async () => {
      await queue.close();
    });

    async function settled(id: string, timeoutMs = 10_000): Promise<JobInfo> {
      return waitFor(
        async () => {
          const info = await queue.getJob(qname, id);
          return info && ['completed', 'failed', 'cancelled'].includes(info.state)
            ? info
            : undefined;
        },
        timeoutMs,
        `job ${id} to finish`,
      );
    }

    function eventsOf(jobId: string, type?: QueueEvent['type']): QueueEvent[] {
      return events.filter((e) => e.jobId === jobId && (type === undefined || e.type === type));
    }

    it('processes a job and stores its result', async () => {
      const seen: { payload: JsonValue; attempt: number }[] = [];
      await queue.worker<{ n: number }, { doubled: number }>(qname, async (job) => {
        seen.push({ payload: job.payload, attempt: job.attempt });
        return { doubled: job.payload.n * 2 };
      });
      const { id, deduplicated } = await queue.enqueue(qname, { n: 21 });
      expect(deduplicated).toBe(false);
      const info = await settled(id);
      expect(info).toMatchObject({
        id,
        queue: qname,
        state: 'completed',
        attempts: 1,
        payload: { n: 21 },
        result: { doubled: 42 },
      });
      expect(seen).toEqual([{ payload: { n: 21 }, attempt: 1 }]);
      await waitFor(() => (eventsOf(id, 'completed').length > 0 ? true : undefined));
      expect(eventsOf(id, 'completed')).toEqual([
        { type: 'completed', queue: qname, jobId: id, result: { doubled: 42 } },
      ]);
    });

    it('retries a throwing handler up to `attempts`, then fails once', async () => {
      let calls = 0;
      await queue.worker(qname, async (job) => {
        calls += 1;
        throw new Error(`boom ${job.attempt}`);
      });
      const { id } = await queue.enqueue(qname, { x: 1 }, { attempts: 3, backoffMs: 10 });
      const info = await settled(id);
      expect(info).toMatchObject({ state: 'failed', attempts: 3, error: 'boom 3' });
      expect(info.result).toBeUndefined();
      await sleep(200);
      expect(calls).toBe(3);
      expect(eventsOf(id, 'failed')).toEqual([
        { type: 'failed', queue: qname, jobId: id, error: 'boom 3' },
      ]);
      expect(eventsOf(id, 'completed')).toEqual([]);
    });

    it('fails at once, without the attempts left, when the handler throws FinalJobError', async () => {
      let calls = 0;
      await queue.worker(qname, async () => {
        calls += 1;
        throw new FinalJobError('malformed payload: n: expected number');
      });
      const { id } = await queue.enqueue(qname, { n: 'x' }, { attempts: 5, backoffMs: 10 });
      const info = await settled(id);
      expect(info).toMatchObject({
        state: 'failed',
        attempts: 1,
        error: 'malformed payload: n: expected number',
      });
      await sleep(200);
      expect(calls).toBe(1);
      expect(eventsOf(id, 'failed')).toEqual([
        { type: 'failed', queue: qname, jobId: id, error: 'malformed payload: n: expected number' },
      ]);
    });

    it('completes on a later attempt after a failure', async () => {
      await queue.worker(qname, async (job) => {
        if (job.attempt === 1) throw new Error('transient');
        return { attempt: job.attempt };
      });
      const { id } = await queue.enqueue(qname, null, { backoffMs: 10 });
      expect(await settled(id)).toMatchObject({
        state: 'completed',
        attempts: 2,
        result: { attempt: 2 },
      });
      expect(eventsOf(id, 'failed')).toEqual([]);
    });

    it('never creates a second job for a jobId that exists or completed recently', async () => {
      const jobId = `train-${randomUUID()}`;
      const first = await queue.enqueue(qname, { v: 1 }, { jobId });
      const second = await queue.enqueue(qname, { v: 2 }, { jobId });
      expect(first).toEqual({ id: jobId, deduplicated: false });
      expect(second).toEqual({ id: jobId, deduplicated: true });
      const handled: JsonValue[] = [];
      await queue.worker(qname, async (job) => {
        handled.push(job.payload);
        return 'ok';
      });
      expect(await settled(jobId)).toMatchObject({ state: 'completed', payload: { v: 1 } });
      expect(await queue.enqueue(qname, { v: 3 }, { jobId })).toEqual({
        id: jobId,
        deduplicated: true,
      });
      await sleep(200);
      expect(handled).toEqual([{ v: 1 }]);
    });

    it('publishes progress events and keeps the last progress', async () => {
      await queue.worker(qname, async (job) => {
        await job.progress({ done: 1, total: 2 });
        await job.progress({ done: 2, total: 2 });
        return null;
      });
      const { id } = await queue.enqueue(qname, {});
      const info = await settled(id);
      expect(info).toMatchObject({
        state: 'completed',
        progress: { done: 2, total: 2 },
        result: null,
      });
      await waitFor(() => (eventsOf(id, 'completed').length > 0 ? true : undefined));
      expect(eventsOf(id, 'progress')).toEqual([
        { type: 'progress', queue: qname, jobId: id, progress: { done: 1, total: 2 } },
        { type: 'progress', queue: qname, jobId: id, progress: { done: 2, total: 2 } },
      ]);
    });

    it('cancels a waiting job: it is removed and never runs', async () => {
      const { id } = await queue.enqueue(qname, { big: true }, { jobId: `c-${randomUUID()}` });
      expect(await queue.getJob(qname, id)).toMatchObject({ state: 'waiting', attempts: 0 });
      expect(await queue.cancel(qname, id)).toBe(true);
      expect(await queue.getJob(qname, id)).toMatchObject({ state: 'cancelled', attempts: 0 });
      const handled: string[] = [];
      await queue.worker(qname, async (job) => {
        handled.push(job.id);
        return null;
      });
      const other = await queue.enqueue(qname, {});
      await settled(other.id);
      expect(handled).toEqual([other.id]);
      await waitFor(() => (eventsOf(id, 'cancelled').length > 0 ? true : undefined));
      expect(eventsOf(id)).toEqual([{ type: 'cancelled', queue: qname, jobId: id }]);
      expect(await queue.cancel(qname, id)).toBe(true);
      expect(await queue.enqueue(qname, {}, { jobId: id })).toEqual({ id, deduplicated: true });
    });

    it('cancels an active job: the handler sees the abort and the job ends cancelled', async () => {
      const started = deferred();
      let sawAbort = false;
      let calls = 0;
      await queue.worker(qname, async (job) => {
        calls += 1;
        started.resolve();
        await new Promise<void>((resolve) => {
          if (job.signal.aborted) resolve();
          job.signal.addEventListener('abort', () => resolve(), { once: true });
        });
        sawAbort = job.signal.aborted;
        return 'finished anyway';
      });
      const { id } = await queue.enqueue(qname, {}, { attempts: 3, backoffMs: 10 });
      await started.promise;
      expect((await queue.getJob(qname, id))?.state).toBe('active');
      expect(await queue.cancel(qname, id)).toBe(true);
      const info = await settled(id);
      expect(info).toMatchObject({ state: 'cancelled', attempts: 1 });
      expect(info.error).toBeUndefined();
      expect(info.result).toBeUndefined();
      expect(sawAbort).toBe(true);
      await waitFor(() => (eventsOf(id, 'cancelled').length > 0 ? true : undefined));
      await sleep(200);
      expect(calls).toBe(1);
      expect(eventsOf(id).map((e) => e.type)).toEqual(['cancelled']);
    });

    it('answers false for a finished job and NOT_FOUND for an unknown one', async () => {
      await queue.worker(qname, async () => 1);
      const { id } = await queue.enqueue(qname, {});
      await settled(id);
      expect(await queue.cancel(qname, id)).toBe(false);
      expect((await queue.getJob(qname, id))?.state).toBe('completed');
      expect(await queue.getJob(qname, 'no-such-job')).toBeUndefined();
      await expect(queue.cancel(qname, 'no-such-job')).rejects.toMatchObject({
        name: 'QueueError',
        code: QueueErrorCode.NOT_FOUND,
      });
    });

    it('runs at most `concurrency` jobs at a time per worker', async () => {
      let running = 0;
      let peak = 0;
      await queue.worker(
        qname,
        async () => {
          running += 1;
          peak = Math.max(peak, running);
          await sleep(100);
          running -= 1;
          return null;
        },
        { concurrency: 2 },
      );
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) ids.push((await queue.enqueue(qname, { i })).id);
      for (const id of ids) expect((await settled(id)).state).toBe('completed');
      expect(peak).toBe(2);
    });

    it('runs lower priority numbers first and honours delays', async () => {
      const order: JsonValue[] = [];
      const a = await queue.enqueue(qname, 'p3', { priority: 3 });
      const b = await queue.enqueue(qname, 'p1', { priority: 1 });
      const c = await queue.enqueue(qname, 'p2', { priority: 2 });
      const enqueuedAt = Date.now();
      const d = await queue.enqueue(qname, 'late', { delayMs: 400 });
      let lateAt = 0;
      await queue.worker(qname, async (job) => {
        order.push(job.payload);
        if (job.payload === 'late') lateAt = Date.now();
        return null;
      });
      for (const { id } of [a, b, c, d]) await settled(id);
      expect(order).toEqual(['p1', 'p2', 'p3', 'late']);
      expect(lateAt - enqueuedAt).toBeGreaterThanOrEqual(350);
    });

    it('refuses invalid arguments with INVALID_ARGUMENT', async () => {
      const invalid = { name: 'QueueError', code: QueueErrorCode.INVALID_ARGUMENT };
      await expect(queue.enqueue('bad name', {})).rejects.toMatchObject(invalid);
      await expect(queue.enqueue(qname, {}, { jobId: '123' })).rejects.toMatchObject(invalid);
      await expect(queue.enqueue(qname, {}, { jobId: 'a:b' })).rejects.toMatchObject(invalid);
      await expect(queue.enqueue(qname, {}, { attempts: 0 })).rejects.toMatchObject(invalid);
      await expect(queue.enqueue(qname, {}, { priority: -1 })).rejects.toMatchObject(invalid);
      await expect(queue.enqueue(qname, undefined as unknown as JsonValue)).rejects.toMatchObject(
        invalid,
      );
      await expect(queue.worker(qname, async () => null, { concurrency: 0 })).rejects.toMatchObject(
        invalid,
      );
    });

    it('refuses calls after close with CLOSED', async () => {
      await queue.close();
      await expect(queue.enqueue(qname, {})).rejects.toMatchObject({
        name: 'QueueError',
        code: QueueErrorCode.CLOSED,
      });
    });
  });
}

import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  InProcessEventBus,
  QueueError,
  RedisEventBus,
  type EventBus,
  type JsonValue,
} from '../src/index.js';
import { REDIS_HOST, REDIS_PORT, newRedis, uniquePrefix } from './helpers/redis.js';
import { sleep, waitFor } from './helpers/wait.js';

type Pair = { a: EventBus; b: EventBus; close(): Promise<void> };

/** The same suite for both buses; `a` and `b` stand for two processes sharing the bus. */
function describeEventBusContract(name: string, open: () => Promise<Pair>): void {
  describe(`${name} (event bus contract)`, () => {
    let pair: Pair;
    beforeAll(async () => {
      pair = await open();
    });
    afterAll(async () => {
      await pair.close();
    });

    it('delivers a JSON copy to every subscriber of the channel, across buses', async () => {
      const gotA: JsonValue[] = [];
      const gotB: JsonValue[] = [];
      const offA = await pair.a.subscribe('org.one', (e) => gotA.push(e));
      const offB = await pair.b.subscribe('org.one', (e) => gotB.push(e));
      const event = { type: 'x', n: 1, nested: { list: [1, 'two', null] } };
      await pair.a.publish('org.one', event);
      await waitFor(async () => (gotA.length === 1 && gotB.length === 1 ? true : undefined));
      expect(gotA).toEqual([event]);
      expect(gotB).toEqual([event]);
      expect(gotA[0]).not.toBe(event);
      offA();
      offB();
    });

    it('keeps channels apart and keeps publish order', async () => {
      const one: JsonValue[] = [];
      const two: JsonValue[] = [];
      const off1 = await pair.b.subscribe('org.c1', (e) => one.push(e));
      const off2 = await pair.b.subscribe('org.c2', (e) => two.push(e));
      for (let i = 0; i < 20; i++) await pair.a.publish(i % 2 ? 'org.c1' : 'org.c2', i);
      await waitFor(async () => (one.length + two.length === 20 ? true : undefined));
      expect(one).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
      expect(two).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
      off1();
      off2();
    });

    it('stops delivering after unsubscribe, and other listeners keep theirs', async () => {
      const kept: JsonValue[] = [];
      const dropped: JsonValue[] = [];
      const offKept = await pair.b.subscribe('org.u', (e) => kept.push(e));
      const offDropped = await pair.b.subscribe('org.u', (e) => dropped.push(e));
      offDropped();
      offDropped();
      await pair.a.publish('org.u', 'after');
      await waitFor(async () => (kept.length === 1 ? true : undefined));
      await sleep(50);
      expect(dropped).toEqual([]);
      offKept();
    });

    it('a throwing listener does not starve the next one', async () => {
      const got: JsonValue[] = [];
      const off1 = await pair.b.subscribe('org.t', () => {
        throw new Error('listener bug');
      });
      const off2 = await pair.b.subscribe('org.t', (e) => got.push(e));
      await pair.a.publish('org.t', 7);
      await waitFor(async () => (got.length === 1 ? true : undefined));
      off1();
      off2();
    });

    it('refuses bad channels and non-JSON events with a typed error', async () => {
      await expect(pair.a.publish('has space', 1)).rejects.toBeInstanceOf(QueueError);
      await expect(pair.a.subscribe('', () => undefined)).rejects.toBeInstanceOf(QueueError);
      await expect(
        pair.a.publish('org.ok', undefined as unknown as JsonValue),
      ).rejects.toBeInstanceOf(QueueError);
    });
  });
}

describeEventBusContract('InProcessEventBus', async () => {
  const bus = new InProcessEventBus(() => undefined);
  return { a: bus, b: bus, close: () => bus.close() };
});

const prefix = uniquePrefix();
describeEventBusContract('RedisEventBus', async () => {
  const connection = { host: REDIS_HOST, port: REDIS_PORT };
  const a = new RedisEventBus({ connection, prefix, onError: () => undefined });
  const b = new RedisEventBus({ connection, prefix, onError: () => undefined });
  return { a, b, close: async () => void (await Promise.all([a.close(), b.close()])) };
});

describe('RedisEventBus', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = newRedis();
  });
  afterAll(async () => {
    await redis.quit();
  });

  it('does not hear another prefix', async () => {
    const connection = { host: REDIS_HOST, port: REDIS_PORT };
    const a = new RedisEventBus({ connection, prefix: uniquePrefix() });
    const b = new RedisEventBus({ connection, prefix: uniquePrefix() });
    try {
      const got: JsonValue[] = [];
      await b.subscribe('org.x', (e) => got.push(e));
      await a.publish('org.x', 1);
      await b.publish('org.x', 2);
      await waitFor(async () => (got.length >= 1 ? true : undefined));
      await sleep(50);
      expect(got).toEqual([2]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('unsubscribes the Redis channel when the last listener leaves', async () => {
    const bus = new RedisEventBus({ connection: { host: REDIS_HOST, port: REDIS_PORT }, prefix });
    try {
      const off = await bus.subscribe('org.gone', () => undefined);
      const channel = `${prefix}:events:org.gone`;
      expect(await redis.pubsub('NUMSUB', channel)).toEqual([channel, 1]);
      off();
      await waitFor(async () => {
        const [, n] = (await redis.pubsub('NUMSUB', channel)) as [string, number];
        return n === 0 ? true : undefined;
      });
    } finally {
      await bus.close();
    }
  });
});

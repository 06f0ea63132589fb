import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import {
  InProcessEventBus,
  RedisEventBus,
  eventChannel,
  type EventBus,
  type EventListener,
  type JsonValue,
  type PlatformEvent,
  type Unsubscribe,
} from '@padim/queue';
import type { FormattedExecutionResult } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_BUS } from '../src/events/event-bus.token.js';
import { openEventBus } from '../src/events/event-bus.factory.js';
import { eventStream } from '../src/events/event-stream.js';
import { createApp } from '../src/main.js';
import { TestApi, code, ok, type Account } from './helpers/api.js';
import { testConfig } from './helpers/config.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** An EventBus that counts its live subscriptions: a test publishes once the server listens. */
class ObservedBus implements EventBus {
  live = 0;

  constructor(private readonly inner: EventBus) {}

  publish(channel: string, event: JsonValue): Promise<void> {
    return this.inner.publish(channel, event);
  }

  async subscribe(channel: string, listener: EventListener): Promise<Unsubscribe> {
    const off = await this.inner.subscribe(channel, listener);
    this.live += 1;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      off();
      this.live -= 1;
    };
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** Resolves once `live` subscriptions are open (server side). */
  async until(live: number): Promise<void> {
    const deadline = Date.now() + 5_000;
    while (this.live !== live) {
      if (Date.now() > deadline)
        throw new Error(`expected ${live} bus subscriptions, have ${this.live}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

async function startApp(
  api: TestApi,
  eventBus?: EventBus,
  env: Record<string, string> = {},
): Promise<{ app: INestApplication; url: string }> {
  const app = await createApp({
    config: testConfig(env),
    // The database belongs to `api` (another API process on the same PostgreSQL).
    database: { ...api.db.database, dispose: async () => undefined },
    ...(eventBus ? { eventBus } : {}),
  });
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl() };
}

const clients: Client[] = [];

function connect(url: string, connectionParams: Record<string, unknown>): Client {
  const client = createClient({
    url: `${url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
  });
  clients.push(client);
  return client;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

type Result = FormattedExecutionResult<Record<string, unknown>, unknown>;

/** One subscription as an iterator of results, with a timeout on each read. */
function subscribe(client: Client, query: string, variables: Record<string, unknown> = {}) {
  const iterator = client.iterate<Record<string, unknown>>({ query, variables });
  return {
    async next(): Promise<Result> {
      const timeout = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('no event within 5 s')), 5_000).unref(),
      );
      const r = await Promise.race([iterator.next(), timeout]);
      if (r.done) throw new Error('the subscription completed');
      return r.value;
    },
    /** Resolves true when the server completes the operation (not after `stop`). */
    async completed(): Promise<boolean> {
      return (await iterator.next()).done === true;
    },
    async stop(): Promise<void> {
      await iterator.return?.();
    },
  };
}

const errorCode = (r: Result) => r.errors?.[0]?.extensions?.code;

const TRAINING = `subscription($pm: ID) { trainingProgress(productModelId: $pm) {
  trainingJobId modelVersionId productModelId status phase done total progress etaSeconds error } }`;
const READY = `subscription($pm: ID) { modelVersionReady(productModelId: $pm) { modelVersionId productModelId version } }`;
const INSPECTIONS = `subscription($pm: ID, $flagged: Boolean) {
  inspectionCompleted(productModelId: $pm, flaggedOnly: $flagged) {
    inspectionId productModelId modelVersionId status score verdict flagged } }`;

function progress(
  organizationId: string,
  productModelId: string,
  done: number,
): Extract<PlatformEvent, { type: 'training.progress' }> {
  return {
    type: 'training.progress',
    organizationId,
    productModelId,
    modelVersionId: randomUUID(),
    trainingJobId: randomUUID(),
    status: 'RUNNING',
    phase: 'fitting',
    done,
    total: 40,
    progress: done / 40,
    etaSeconds: 12.5,
    error: null,
  };
}

function inspection(
  organizationId: string,
  productModelId: string,
  flagged: boolean,
): Extract<PlatformEvent, { type: 'inspection.completed' }> {
  return {
    type: 'inspection.completed',
    organizationId,
    productModelId,
    modelVersionId: randomUUID(),
    inspectionId: randomUUID(),
    status: 'COMPLETED',
    score: flagged ? 31.5 : 4.25,
    verdict: flagged ? 'DEFECT' : 'GOOD',
    flagged,
  };
}

async function productModel(api: TestApi, token: string, name: string): Promise<string> {
  const project = ok<{ id: string }>(
    await api.gql(
      'mutation($i: CreateProjectInput!) { createProject(input: $i) { id } }',
      { i: { name: `${name} line` } },
      token,
    ),
    'createProject',
  );
  const pm = ok<{ id: string }>(
    await api.gql(
      'mutation($i: CreateProductModelInput!) { createProductModel(input: $i) { id } }',
      { i: { projectId: project.id, name } },
      token,
    ),
    'createProductModel',
  );
  return pm.id;
}

let api: TestApi;
let alice: Account;
let bob: Account;
let pmA1: string;
let pmA2: string;
let pmB: string;

beforeAll(async () => {
  api = await TestApi.start();
  alice = await api.signUp('alice@example.com', 'Gears Inc');
  bob = await api.signUp('bob@example.com', 'Bolts Ltd');
  pmA1 = await productModel(api, alice.token, 'gear');
  pmA2 = await productModel(api, alice.token, 'pinion');
  pmB = await productModel(api, bob.token, 'bolt');
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await api?.close();
});

describe('GraphQL subscriptions (graphql-ws, in-process bus)', () => {
  let bus: ObservedBus;
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    bus = new ObservedBus(new InProcessEventBus());
    ({ app, url } = await startApp(api, bus));
  });
  afterAll(async () => app?.close());

  it('streams the training progress of the subscribed product model only', async () => {
    const sub = subscribe(connect(url, bearer(alice.token)), TRAINING, { pm: pmA1 });
    await bus.until(1);
    const other = progress(alice.organizationId, pmA2, 3);
    const mine = progress(alice.organizationId, pmA1, 10);
    await bus.publish(eventChannel(alice.organizationId), other);
    await bus.publish(eventChannel(alice.organizationId), mine);
    const r = await sub.next();
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({
      trainingProgress: {
        trainingJobId: mine.trainingJobId,
        modelVersionId: mine.modelVersionId,
        productModelId: pmA1,
        status: 'RUNNING',
        phase: 'FITTING',
        done: 10,
        total: 40,
        progress: 0.25,
        etaSeconds: 12.5,
        error: null,
      },
    });
    await sub.stop();
    await bus.until(0);
  });

  it('streams every product model of the organization without productModelId, one type per field', async () => {
    const sub = subscribe(connect(url, { token: alice.token }), READY);
    await bus.until(1);
    const channel = eventChannel(alice.organizationId);
    // Other event types on the same channel, and a message that is no platform event, are skipped.
    await bus.publish(channel, progress(alice.organizationId, pmA2, 1));
    await bus.publish(channel, { hello: 'world' });
    const ready = {
      type: 'model.ready',
      organizationId: alice.organizationId,
      productModelId: pmA2,
      modelVersionId: randomUUID(),
      version: 3,
    } satisfies PlatformEvent;
    await bus.publish(channel, ready);
    expect((await sub.next()).data).toEqual({
      modelVersionReady: { modelVersionId: ready.modelVersionId, productModelId: pmA2, version: 3 },
    });
    await sub.stop();
    await bus.until(0);
  });

  it('flaggedOnly streams only flagged inspections', async () => {
    const client = connect(url, bearer(alice.token));
    const all = subscribe(client, INSPECTIONS, { pm: pmA1 });
    const flagged = subscribe(client, INSPECTIONS, { pm: pmA1, flagged: true });
    await bus.until(2);
    const good = inspection(alice.organizationId, pmA1, false);
    const defect = inspection(alice.organizationId, pmA1, true);
    await bus.publish(eventChannel(alice.organizationId), good);
    await bus.publish(eventChannel(alice.organizationId), defect);
    const ids = async (s: ReturnType<typeof subscribe>) =>
      ((await s.next()).data?.inspectionCompleted as { inspectionId: string }).inspectionId;
    expect(await ids(all)).toBe(good.inspectionId);
    expect(await ids(all)).toBe(defect.inspectionId);
    const first = await flagged.next();
    expect(first.data).toEqual({
      inspectionCompleted: {
        inspectionId: defect.inspectionId,
        productModelId: pmA1,
        modelVersionId: defect.modelVersionId,
        status: 'COMPLETED',
        score: 31.5,
        verdict: 'DEFECT',
        flagged: true,
      },
    });
    await Promise.all([all.stop(), flagged.stop()]);
    await bus.until(0);
  });

  it("never delivers one organization's events to another", async () => {
    const sub = subscribe(connect(url, bearer(bob.token)), INSPECTIONS);
    await bus.until(1);
    await bus.publish(
      eventChannel(alice.organizationId),
      inspection(alice.organizationId, pmA1, true),
    );
    // Even on B's channel, an event that names another organization is dropped.
    await bus.publish(
      eventChannel(bob.organizationId),
      inspection(alice.organizationId, pmA1, true),
    );
    const own = inspection(bob.organizationId, pmB, true);
    await bus.publish(eventChannel(bob.organizationId), own);
    const r = await sub.next();
    expect(r.data?.inspectionCompleted).toMatchObject({
      inspectionId: own.inspectionId,
      productModelId: pmB,
    });
    await sub.stop();
    await bus.until(0);
  });

  it("answers NOT_FOUND for another organization's or an unknown product model", async () => {
    const client = connect(url, bearer(bob.token));
    for (const pm of [pmA1, randomUUID(), 'not-a-uuid']) {
      const sub = subscribe(client, TRAINING, { pm });
      const r = await sub.next();
      expect(r.data ?? null).toBeNull();
      expect(errorCode(r)).toBe('NOT_FOUND');
      expect(await sub.completed()).toBe(true);
    }
    expect(bus.live).toBe(0);
  });

  it('unsubscribing stops delivery and releases the bus subscription', async () => {
    const client = connect(url, bearer(alice.token));
    const leaving = subscribe(client, INSPECTIONS);
    const staying = subscribe(client, INSPECTIONS);
    await bus.until(2);
    await leaving.stop();
    await bus.until(1);
    const event = inspection(alice.organizationId, pmA2, false);
    await bus.publish(eventChannel(alice.organizationId), event);
    expect((await staying.next()).data?.inspectionCompleted).toMatchObject({
      inspectionId: event.inspectionId,
    });
    await staying.stop();
    await bus.until(0);
  });

  it('refuses a connection without a valid token (4403 Forbidden)', async () => {
    const revoked = ok<{ token: string }>(
      await api.gql('mutation($i: SignInInput!) { signIn(input: $i) { token } }', {
        i: { email: alice.email, password: 'correct horse battery' },
      }),
      'signIn',
    ).token;
    ok(await api.gql('mutation { signOut }', {}, revoked), 'signOut');
    for (const params of [
      {},
      { authorization: 'Bearer ' },
      { authorization: `Basic ${alice.token}` },
      bearer('pds_not-a-session'),
      { token: 'pdk_not-a-key' },
      bearer(revoked),
    ]) {
      const sub = subscribe(connect(url, params), TRAINING);
      await expect(sub.next()).rejects.toMatchObject({ code: 4403 });
    }
    expect(bus.live).toBe(0);
  });

  it('re-checks the session when each subscription starts', async () => {
    const token = ok<{ token: string }>(
      await api.gql('mutation($i: SignInInput!) { signIn(input: $i) { token } }', {
        i: { email: alice.email, password: 'correct horse battery' },
      }),
      'signIn',
    ).token;
    const client = connect(url, bearer(token));
    const first = subscribe(client, TRAINING);
    await bus.until(1);
    ok(await api.gql('mutation { signOut }', {}, token), 'signOut');
    const second = subscribe(client, TRAINING);
    const r = await second.next();
    expect(errorCode(r)).toBe('UNAUTHENTICATED');
    await first.stop();
    await bus.until(0);
  });

  it('applies the HTTP limits over the socket and answers client errors with their codes', async () => {
    const client = connect(url, bearer(alice.token));
    const cases: [string, Record<string, unknown>, string][] = [
      ['{ __typename }', {}, 'BAD_REQUEST'],
      ['subscription { trainingProgress { nope } }', {}, 'GRAPHQL_VALIDATION_FAILED'],
      ['subscription { trainingProgress ', {}, 'GRAPHQL_PARSE_FAILED'],
      [TRAINING, { pm: 'bad\u0000' }, 'BAD_USER_INPUT'],
    ];
    for (const [query, variables, code] of cases) {
      const sub = subscribe(client, query, variables);
      const error: unknown = await sub.next().catch((e: unknown) => e);
      expect(error).toEqual([expect.objectContaining({ extensions: { code } })]);
    }
    expect(bus.live).toBe(0);
  });

  it('refuses a subscription sent over HTTP as a client error', async () => {
    const r = await api.gql('subscription { trainingProgress { done } }', {}, alice.token);
    expect(code(r)).toBe('BAD_REQUEST');
    expect(r.data ?? null).toBeNull();
  });
});

describe('GraphQL subscriptions across API processes (Redis bus)', () => {
  const prefix = `padim-test-${randomUUID().slice(0, 8)}`;
  let one: { app: INestApplication; url: string };
  let two: { app: INestApplication; url: string };
  let busTwo: ObservedBus;

  beforeAll(async () => {
    // Process one opens its bus from the configuration; process two gets an observed one.
    one = await startApp(api, undefined, { REDIS_URL, REDIS_PREFIX: prefix });
    busTwo = new ObservedBus(new RedisEventBus({ connection: REDIS_URL, prefix }));
    two = await startApp(api, busTwo);
  });
  afterAll(async () => {
    await one?.app.close();
    await two?.app.close();
  });

  it('openEventBus picks Redis when REDIS_URL is set, else the in-process bus', async () => {
    expect(one.app.get(EVENT_BUS)).toBeInstanceOf(RedisEventBus);
    const local = openEventBus(testConfig());
    expect(local).toBeInstanceOf(InProcessEventBus);
    await local.close();
  });

  it("an event published through one process's bus reaches a client of another", async () => {
    const sub = subscribe(connect(two.url, bearer(alice.token)), INSPECTIONS, {
      pm: pmA1,
      flagged: true,
    });
    await busTwo.until(1);
    const busOne = one.app.get<EventBus>(EVENT_BUS);
    const channel = eventChannel(alice.organizationId);
    await busOne.publish(channel, inspection(alice.organizationId, pmA1, false));
    await busOne.publish(
      eventChannel(bob.organizationId),
      inspection(bob.organizationId, pmB, true),
    );
    const defect = inspection(alice.organizationId, pmA1, true);
    await busOne.publish(channel, defect);
    expect((await sub.next()).data?.inspectionCompleted).toMatchObject({
      inspectionId: defect.inspectionId,
      verdict: 'DEFECT',
      flagged: true,
    });
    await sub.stop();
    await busTwo.until(0);
  });
});

describe('eventStream', () => {
  it('keeps the newest maxPending events of a slow reader and unsubscribes on return()', async () => {
    const bus = new ObservedBus(new InProcessEventBus());
    const drops: number[] = [];
    const stream = await eventStream(
      bus,
      'org.x',
      (e) => (typeof e === 'number' && e % 2 === 0 ? e : undefined),
      { maxPending: 3, onDrop: (n) => drops.push(n) },
    );
    expect(bus.live).toBe(1);
    for (let i = 0; i <= 10; i++) await bus.publish('org.x', i);
    await new Promise((resolve) => setTimeout(resolve, 0));
    // 0, 2, 4, 6, 8, 10 kept by `select`; the three newest remain.
    expect(drops).toEqual([1, 2, 3]);
    expect(await stream.next()).toEqual({ value: 6, done: false });
    expect(await stream.next()).toEqual({ value: 8, done: false });
    expect(await stream.next()).toEqual({ value: 10, done: false });
    const waiting = stream.next();
    await stream.return?.();
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(bus.live).toBe(0);
    expect(await stream.next()).toEqual({ value: undefined, done: true });
    await bus.close();
  });
});

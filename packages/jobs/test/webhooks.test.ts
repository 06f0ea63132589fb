import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { forTenant, type PrismaClient } from '@padim/db';
import { freshPostgres, type FreshPostgres } from '@padim/db/testing';
import {
  InProcessQueue,
  QUEUES,
  webhookQueueJobId,
  type JobInfo,
  type JobQueue,
  type JsonValue,
  type WebhookEventName,
} from '@padim/queue';
import { isPrivateAddress, isPrivateHost } from '../src/private-address.js';
import {
  WEBHOOK_RESPONSE_BODY_LIMIT,
  WEBHOOK_USER_AGENT,
  deliverWebhook,
  enqueueWebhookDeliveries,
  recordWebhookEvent,
  registerWebhookWorker,
  signWebhook,
  sweepPendingDeliveries,
  verifyWebhookSignature,
  type WebhookDeliveryDeps,
  type WebhookRetryPolicy,
} from '../src/webhooks.js';

// printf '%s' '1700000000.{"id":"d1","event":"model.ready"}' | openssl dgst -sha256 -hmac 'whsec_test' -hex
const GOLDEN_SECRET = 'whsec_test';
const GOLDEN_TIMESTAMP = 1_700_000_000;
const GOLDEN_BODY = '{"id":"d1","event":"model.ready"}';
const GOLDEN_HMAC = '1b25688705e8e3a345f7ed7f312c4912c2af668f880510e99c49c12e57fe9c23';

describe('webhook signatures', () => {
  const at = (seconds: number): Date => new Date(seconds * 1000);

  it('matches an HMAC-SHA256 computed by openssl', () => {
    expect(signWebhook(GOLDEN_SECRET, GOLDEN_TIMESTAMP, GOLDEN_BODY)).toBe(
      `t=${GOLDEN_TIMESTAMP},v1=${GOLDEN_HMAC}`,
    );
    expect(signWebhook(GOLDEN_SECRET, GOLDEN_TIMESTAMP, Buffer.from(GOLDEN_BODY))).toBe(
      `t=${GOLDEN_TIMESTAMP},v1=${GOLDEN_HMAC}`,
    );
  });

  it('verifies its own signature within the tolerance, and nothing else', () => {
    const header = signWebhook(GOLDEN_SECRET, GOLDEN_TIMESTAMP, GOLDEN_BODY);
    const now = at(GOLDEN_TIMESTAMP + 60);
    expect(verifyWebhookSignature(GOLDEN_SECRET, header, GOLDEN_BODY, { now })).toBe(true);
    expect(verifyWebhookSignature(GOLDEN_SECRET, header, `${GOLDEN_BODY} `, { now })).toBe(false);
    expect(verifyWebhookSignature('whsec_other', header, GOLDEN_BODY, { now })).toBe(false);
    // Stale (replayed) and from the future, by more than 300 s.
    for (const s of [GOLDEN_TIMESTAMP + 301, GOLDEN_TIMESTAMP - 301])
      expect(verifyWebhookSignature(GOLDEN_SECRET, header, GOLDEN_BODY, { now: at(s) })).toBe(
        false,
      );
    expect(
      verifyWebhookSignature(GOLDEN_SECRET, header, GOLDEN_BODY, {
        now: at(GOLDEN_TIMESTAMP + 1000),
        toleranceSeconds: 3600,
      }),
    ).toBe(true);
    // The timestamp is signed: moving it breaks the signature.
    const moved = header.replace(`t=${GOLDEN_TIMESTAMP}`, `t=${GOLDEN_TIMESTAMP + 1}`);
    expect(verifyWebhookSignature(GOLDEN_SECRET, moved, GOLDEN_BODY, { now })).toBe(false);
  });

  it('accepts one matching v1 among several, and rejects malformed headers', () => {
    const now = at(GOLDEN_TIMESTAMP);
    const other = 'ab'.repeat(32);
    const v = (h: string): boolean =>
      verifyWebhookSignature(GOLDEN_SECRET, h, GOLDEN_BODY, { now });
    expect(v(`t=${GOLDEN_TIMESTAMP},v1=${other},v1=${GOLDEN_HMAC}`)).toBe(true);
    expect(v(`t=${GOLDEN_TIMESTAMP}, v1=${GOLDEN_HMAC.toUpperCase()}`)).toBe(true);
    for (const bad of [
      '',
      `v1=${GOLDEN_HMAC}`,
      `t=${GOLDEN_TIMESTAMP}`,
      `t=${GOLDEN_TIMESTAMP},v1=${GOLDEN_HMAC.slice(2)}`,
      `t=${GOLDEN_TIMESTAMP},v0=${GOLDEN_HMAC}`,
      `t=abc,v1=${GOLDEN_HMAC}`,
      `t=${GOLDEN_TIMESTAMP},t=${GOLDEN_TIMESTAMP},v1=${GOLDEN_HMAC}`,
    ])
      expect(v(bad), bad).toBe(false);
  });
});

describe('webhook SSRF guard (unit)', () => {
  it('flags loopback, private, link-local and shared hosts, in every spelling', () => {
    for (const host of [
      'localhost',
      'localhost.',
      'api.localhost',
      '127.0.0.1',
      '127.9.9.9',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '[::1]',
      '::',
      'fd00::1',
      'fe80::1',
      '::ffff:10.0.0.1',
      // What the WHATWG URL parser makes of http://[::ffff:127.0.0.1]/
      new URL('http://[::ffff:127.0.0.1]/').hostname,
      new URL('http://0x7f.1/').hostname,
    ]) {
      expect(isPrivateHost(host), host).toBe(true);
    }
  });

  it('lets public hosts through, and leaves names to the resolver', () => {
    for (const host of [
      'example.com',
      'hooks.factory.test',
      '8.8.8.8',
      '172.32.0.1',
      '192.169.0.1',
      '2001:db8::1',
      '[2606:4700::1111]',
    ]) {
      expect(isPrivateHost(host), host).toBe(false);
    }
  });

  it('classifies resolved addresses', () => {
    for (const ip of [
      '127.0.0.1',
      '10.0.0.1',
      '169.254.169.254',
      '224.0.0.1',
      '255.255.255.255',
      '198.18.0.1',
      '::1',
      '::',
      '::ffff:7f00:1',
      '::ffff:192.168.0.1',
      '64:ff9b::a00:1',
      'fe80::1%eth0',
      'fec0::1',
      'ff02::1',
      'fc00::1',
      'not an address',
    ]) {
      expect(isPrivateAddress(ip), ip).toBe(true);
    }
    for (const ip of [
      '8.8.8.8',
      '1.1.1.1',
      '2606:4700::1111',
      '::ffff:8.8.8.8',
      '64:ff9b::808:808',
    ])
      expect(isPrivateAddress(ip), ip).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Integration: real PostgreSQL, a real HTTP receiver, the in-process queue.

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

interface Receiver {
  readonly url: string;
  readonly port: number;
  readonly requests: Received[];
  close(): Promise<void>;
}

/** 'hang': never answer; `open`: send the status and body, then never end the response. */
type Reply = { status: number; body?: string; open?: boolean } | 'hang';

/** An HTTP server on 127.0.0.1 that records requests and answers with `replies` in turn (the last repeats). */
async function startReceiver(replies: readonly Reply[]): Promise<Receiver> {
  const requests: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const reply = replies[Math.min(requests.length, replies.length) - 1]!;
      if (reply === 'hang') return;
      res.writeHead(reply.status, { 'content-type': 'text/plain' });
      if (reply.open) res.write(reply.body ?? '');
      else res.end(reply.body ?? `status ${reply.status}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let pg: FreshPostgres;
let prisma: PrismaClient;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  pg = await freshPostgres('padim_webhooks');
  prisma = pg.database.prisma;
});

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

afterAll(async () => {
  await pg?.drop();
});

async function makeOrg(): Promise<string> {
  const slug = `org-${randomBytes(4).toString('hex')}`;
  return (await prisma.organization.create({ data: { name: slug, slug } })).id;
}

async function makeWebhook(
  organizationId: string,
  url: string,
  options: { events?: WebhookEventName[]; active?: boolean } = {},
): Promise<{ id: string; secret: string }> {
  const secret = `whsec_${randomBytes(16).toString('hex')}`;
  const row = await prisma.webhook.create({
    data: {
      organizationId,
      url,
      secret,
      events: options.events ?? ['inspection.flagged'],
      active: options.active ?? true,
    },
  });
  return { id: row.id, secret };
}

async function receiver(replies: readonly Reply[]): Promise<Receiver> {
  const r = await startReceiver(replies);
  cleanups.push(() => r.close());
  return r;
}

const RETRY: WebhookRetryPolicy = { attempts: 3, backoffMs: 10 };

/** An in-process queue with the webhook worker running on `deps`. */
async function worker(deps: Partial<WebhookDeliveryDeps> = {}): Promise<JobQueue> {
  const queue = new InProcessQueue();
  await registerWebhookWorker(queue, {
    prisma,
    allowPrivateTargets: true,
    retry: RETRY,
    ...deps,
  });
  cleanups.push(() => queue.close());
  return queue;
}

async function settled(queue: JobQueue, deliveryId: string): Promise<JobInfo> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const job = await queue.getJob(QUEUES.webhooks, webhookQueueJobId(deliveryId));
    if (job && job.state !== 'waiting' && job.state !== 'active') return job;
    if (Date.now() > deadline) throw new Error(`job of ${deliveryId} did not settle`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Records `event` for the organization in a transaction of its tenant client. */
function record(organizationId: string, data: JsonValue = { inspectionId: 'i1', score: 0.93 }) {
  return forTenant(prisma, organizationId).$transaction((tx) =>
    recordWebhookEvent(tx, organizationId, 'inspection.flagged', data),
  );
}

const row = (id: string) => prisma.webhookDelivery.findUniqueOrThrow({ where: { id } });

describe('webhook outbox', () => {
  it('writes rows for the active, subscribed webhooks of the organization only', async () => {
    const orgA = await makeOrg();
    const orgB = await makeOrg();
    const url = 'https://hooks.example.com/padim';
    const subscribed = await makeWebhook(orgA, url, {
      events: ['model.ready', 'inspection.flagged'],
    });
    await makeWebhook(orgA, url, { events: ['model.ready'] });
    await makeWebhook(orgA, url, { active: false });
    const foreign = await makeWebhook(orgB, url);

    const ids = await record(orgA, { inspectionId: 'i1', score: 0.93, tags: null });
    expect(ids).toHaveLength(1);
    const delivery = await row(ids[0]!);
    expect(delivery).toMatchObject({
      organizationId: orgA,
      webhookId: subscribed.id,
      event: 'inspection.flagged',
      status: 'PENDING',
      attempts: 0,
    });
    expect(delivery.payload).toEqual({
      id: ids[0],
      event: 'inspection.flagged',
      createdAt: delivery.createdAt.toISOString(),
      organizationId: orgA,
      data: { inspectionId: 'i1', score: 0.93, tags: null },
    });
    expect(await prisma.webhookDelivery.count({ where: { webhookId: foreign.id } })).toBe(0);
    expect(await prisma.webhookDelivery.count({ where: { organizationId: orgB } })).toBe(0);
  });

  it('writes nothing when the transaction rolls back, and nothing for an unsubscribed event', async () => {
    const org = await makeOrg();
    const hook = await makeWebhook(org, 'https://hooks.example.com/padim');
    await expect(
      forTenant(prisma, org).$transaction(async (tx) => {
        await recordWebhookEvent(tx, org, 'inspection.flagged', { n: 1 });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await recordWebhookEvent(prisma, org, 'training.failed', { n: 2 })).toEqual([]);
    expect(await prisma.webhookDelivery.count({ where: { webhookId: hook.id } })).toBe(0);
  });
});

describe('webhook delivery', () => {
  it('delivers once, signed, and marks the row SUCCEEDED', async () => {
    const r = await receiver([{ status: 204, body: '' }]);
    const org = await makeOrg();
    const hook = await makeWebhook(org, r.url);
    const queue = await worker();
    const [id] = await record(org);
    const before = Date.now();
    await enqueueWebhookDeliveries(queue, org, [id!], RETRY);
    expect((await settled(queue, id!)).state).toBe('completed');

    expect(r.requests).toHaveLength(1);
    const [req] = r.requests;
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.headers['user-agent']).toBe(WEBHOOK_USER_AGENT);
    expect(req!.headers['padim-event']).toBe('inspection.flagged');
    expect(req!.headers['padim-delivery']).toBe(id);
    const signature = req!.headers['padim-signature'] as string;
    expect(verifyWebhookSignature(hook.secret, signature, req!.body)).toBe(true);
    expect(verifyWebhookSignature('whsec_wrong', signature, req!.body)).toBe(false);
    const t = Number(/^t=(\d+),/.exec(signature)![1]);
    expect(Math.abs(t * 1000 - before)).toBeLessThan(5000);

    const delivered = await row(id!);
    expect(JSON.parse(req!.body)).toEqual(delivered.payload);
    expect(delivered).toMatchObject({
      status: 'SUCCEEDED',
      attempts: 1,
      responseStatus: 204,
      error: null,
      nextAttemptAt: null,
    });
    expect(delivered.deliveredAt).toBeInstanceOf(Date);
  });

  it('retries a 500 and succeeds on the second attempt', async () => {
    const r = await receiver([
      { status: 500, body: 'boom' },
      { status: 200, body: 'ok' },
    ]);
    const org = await makeOrg();
    await makeWebhook(org, r.url);
    const queue = await worker();
    const [id] = await record(org);
    await enqueueWebhookDeliveries(queue, org, [id!], RETRY);
    expect((await settled(queue, id!)).state).toBe('completed');

    expect(r.requests).toHaveLength(2);
    expect(r.requests.map((q) => q.headers['padim-delivery'])).toEqual([id, id]);
    expect(r.requests[1]!.body).toBe(r.requests[0]!.body);
    expect(await row(id!)).toMatchObject({
      status: 'SUCCEEDED',
      attempts: 2,
      responseStatus: 200,
      responseBody: 'ok',
      error: null,
      nextAttemptAt: null,
    });
  });

  it('records a retry on the row while waiting for the next attempt', async () => {
    const r = await receiver([{ status: 503, body: 'later' }]);
    const org = await makeOrg();
    await makeWebhook(org, r.url);
    const [id] = await record(org);
    const now = new Date('2030-01-01T00:00:00Z');
    const deps: WebhookDeliveryDeps = { prisma, allowPrivateTargets: true, retry: RETRY };
    await expect(
      deliverWebhook({ ...deps, now: () => now }, { organizationId: org, deliveryId: id! }, 1),
    ).rejects.toThrow(/attempt 1 of 3: HTTP 503/);
    expect(await row(id!)).toMatchObject({
      status: 'PENDING',
      attempts: 1,
      responseStatus: 503,
      responseBody: 'later',
      error: 'HTTP 503',
      nextAttemptAt: new Date(now.getTime() + RETRY.backoffMs),
    });
  });

  it('fails after the last attempt when the receiver always answers 500', async () => {
    const r = await receiver([{ status: 500, body: 'still broken' }]);
    const org = await makeOrg();
    await makeWebhook(org, r.url);
    const queue = await worker();
    const [id] = await record(org);
    await enqueueWebhookDeliveries(queue, org, [id!], RETRY);
    // The last run returns (the row says FAILED): the job itself completes.
    expect((await settled(queue, id!)).state).toBe('completed');

    expect(r.requests).toHaveLength(RETRY.attempts);
    expect(await row(id!)).toMatchObject({
      status: 'FAILED',
      attempts: RETRY.attempts,
      responseStatus: 500,
      responseBody: 'still broken',
      error: 'HTTP 500',
      nextAttemptAt: null,
      deliveredAt: null,
    });
  });

  it('treats a 4xx other than 408/429 as final', async () => {
    const r = await receiver([{ status: 410, body: 'gone' }]);
    const org = await makeOrg();
    await makeWebhook(org, r.url);
    const queue = await worker();
    const [id] = await record(org);
    await enqueueWebhookDeliveries(queue, org, [id!], RETRY);
    await settled(queue, id!);
    expect(r.requests).toHaveLength(1);
    expect(await row(id!)).toMatchObject({ status: 'FAILED', attempts: 1, responseStatus: 410 });
  });

  it('times out a receiver that never answers', async () => {
    const r = await receiver(['hang']);
    const org = await makeOrg();
    await makeWebhook(org, r.url);
    const [id] = await record(org);
    const deps: WebhookDeliveryDeps = {
      prisma,
      allowPrivateTargets: true,
      retry: { attempts: 1 },
      timeoutMs: 200,
    };
    expect(await deliverWebhook(deps, { organizationId: org, deliveryId: id! }, 1)).toBe('failed');
    expect(r.requests).toHaveLength(1);
    expect(await row(id!)).toMatchObject({
      status: 'FAILED',
      attempts: 1,
      responseStatus: null,
      error: 'timed out after 200 ms',
    });
  });

  it('bounds the response body by the timeout too, keeping the status', async () => {
    const r = await receiver([{ status: 202, body: 'accepted, streaming', open: true }]);
    const org = await makeOrg();
    await makeWebhook(org, r.url);
    const [id] = await record(org);
    const deps: WebhookDeliveryDeps = { prisma, allowPrivateTargets: true, timeoutMs: 200 };
    expect(await deliverWebhook(deps, { organizationId: org, deliveryId: id! }, 1)).toBe(
      'succeeded',
    );
    expect(await row(id!)).toMatchObject({
      status: 'SUCCEEDED',
      responseStatus: 202,
      responseBody: 'accepted, streaming',
    });
  });

  it('keeps at most 2 KB of the response body', async () => {
    const r = await receiver([{ status: 200, body: 'x'.repeat(64 * 1024) }]);
    const org = await makeOrg();
    await makeWebhook(org, r.url);
    const [id] = await record(org);
    const deps: WebhookDeliveryDeps = { prisma, allowPrivateTargets: true };
    expect(await deliverWebhook(deps, { organizationId: org, deliveryId: id! }, 1)).toBe(
      'succeeded',
    );
    const delivered = await row(id!);
    expect(delivered.responseBody).toBe('x'.repeat(WEBHOOK_RESPONSE_BODY_LIMIT));
    expect(delivered.status).toBe('SUCCEEDED');
  });

  it('refuses a host that resolves to a private address, without sending anything', async () => {
    const r = await receiver([{ status: 200 }]);
    const org = await makeOrg();
    await makeWebhook(org, `http://hooks.factory.test:${r.port}/hooks`);
    const lookups: string[] = [];
    const lookup = async (host: string) => {
      lookups.push(host);
      return [{ address: '127.0.0.1', family: 4 }];
    };
    const queue = await worker({ allowPrivateTargets: false, lookup });
    const [id] = await record(org);
    await enqueueWebhookDeliveries(queue, org, [id!], RETRY);
    expect((await settled(queue, id!)).state).toBe('completed');

    expect(lookups).toEqual(['hooks.factory.test']);
    expect(r.requests).toHaveLength(0);
    const refused = await row(id!);
    expect(refused).toMatchObject({ status: 'FAILED', attempts: 1, responseStatus: null });
    expect(refused.error).toMatch(/^refused: hooks\.factory\.test resolves to a private address/);
  });

  it('connects to the address it checked, not to a second DNS answer', async () => {
    // hooks.factory.test does not resolve in real DNS: only the pinned lookup can reach the receiver.
    const r = await receiver([{ status: 200 }]);
    const org = await makeOrg();
    await makeWebhook(org, `http://hooks.factory.test:${r.port}/hooks`);
    const [id] = await record(org);
    const deps: WebhookDeliveryDeps = {
      prisma,
      allowPrivateTargets: true,
      lookup: async () => [{ address: '127.0.0.1', family: 4 }],
    };
    expect(await deliverWebhook(deps, { organizationId: org, deliveryId: id! }, 1)).toBe(
      'succeeded',
    );
    expect(r.requests).toHaveLength(1);
    expect(r.requests[0]!.headers.host).toBe(`hooks.factory.test:${r.port}`);
  });

  it('sends once when the same delivery is enqueued twice, and never after it succeeded', async () => {
    const r = await receiver([{ status: 200 }]);
    const org = await makeOrg();
    await makeWebhook(org, r.url);
    const queue = await worker();
    const [id] = await record(org);
    const first = await enqueueWebhookDeliveries(queue, org, [id!, id!], RETRY);
    expect(first.map((e) => e.deduplicated)).toEqual([false, true]);
    await settled(queue, id!);
    const again = await enqueueWebhookDeliveries(queue, org, [id!], RETRY);
    expect(again[0]!.deduplicated).toBe(true);
    // Even a run outside the queue (a stale job after retention) does not send it again.
    const deps: WebhookDeliveryDeps = { prisma, allowPrivateTargets: true };
    expect(await deliverWebhook(deps, { organizationId: org, deliveryId: id! }, 1)).toBe('skipped');
    expect(r.requests).toHaveLength(1);
    expect((await row(id!)).attempts).toBe(1);
  });

  it('skips a delivery of another organization, and fails one whose webhook was disabled', async () => {
    const r = await receiver([{ status: 200 }]);
    const org = await makeOrg();
    const other = await makeOrg();
    const hook = await makeWebhook(org, r.url);
    const [id] = await record(org);
    const deps: WebhookDeliveryDeps = { prisma, allowPrivateTargets: true };
    expect(await deliverWebhook(deps, { organizationId: other, deliveryId: id! }, 1)).toBe(
      'skipped',
    );
    expect(await deliverWebhook(deps, { organizationId: org, deliveryId: 'nope' }, 1)).toBe(
      'skipped',
    );
    expect((await row(id!)).attempts).toBe(0);

    await prisma.webhook.update({ where: { id: hook.id }, data: { active: false } });
    expect(await deliverWebhook(deps, { organizationId: org, deliveryId: id! }, 1)).toBe('failed');
    expect(await row(id!)).toMatchObject({
      status: 'FAILED',
      attempts: 1,
      error: 'webhook disabled',
    });
    expect(r.requests).toHaveLength(0);
  });

  it('sweeps a PENDING delivery whose job was lost, once', async () => {
    // The sweeper is cross-tenant: rows other tests left PENDING would be swept too.
    await prisma.webhookDelivery.deleteMany({ where: { status: 'PENDING' } });
    const r = await receiver([{ status: 200 }]);
    const org = await makeOrg();
    await makeWebhook(org, r.url);
    const queue = await worker();
    const [lost] = await record(org); // committed, never enqueued: the crash case
    const [fresh] = await record(org);

    const future = new Date(Date.now() + 60_000);
    // Only rows older than the window: with a 1 h window, neither row qualifies yet.
    expect(
      await sweepPendingDeliveries(prisma, queue, { olderThanMs: 3_600_000, retry: RETRY }),
    ).toEqual({ found: 0, enqueued: 0 });
    // A row waiting for its next attempt (nextAttemptAt ahead) is not swept.
    await prisma.webhookDelivery.update({
      where: { id: fresh! },
      data: { attempts: 1, nextAttemptAt: new Date(future.getTime() + 3_600_000) },
    });
    const swept = await sweepPendingDeliveries(prisma, queue, {
      olderThanMs: 0,
      retry: RETRY,
      now: future,
    });
    expect(swept).toEqual({ found: 1, enqueued: 1 });
    expect((await settled(queue, lost!)).state).toBe('completed');
    expect(r.requests.map((q) => q.headers['padim-delivery'])).toEqual([lost]);
    expect((await row(lost!)).status).toBe('SUCCEEDED');

    const again = await sweepPendingDeliveries(prisma, queue, {
      olderThanMs: 0,
      retry: RETRY,
      now: future,
    });
    expect(again).toEqual({ found: 0, enqueued: 0 });
    expect(r.requests).toHaveLength(1);
  });
});

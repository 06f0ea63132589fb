import 'reflect-metadata';
import type { PrismaClient, Role } from '@padim/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApi, code, ok, type Account, type Gql } from './helpers/api.js';

let api: TestApi;
let prisma: PrismaClient;
const gql = (query: string, variables: Record<string, unknown> = {}, token?: string) =>
  api.gql(query, variables, token);
const signUp = (email: string, org: string) => api.signUp(email, org);
const member = (owner: Account, email: string, role: Role) => api.member(owner, email, role);

beforeAll(async () => {
  api = await TestApi.start({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
  prisma = api.prisma;
});
afterAll(async () => api.close());

const CREATE = `mutation($i: CreateWebhookInput!) { createWebhook(input: $i) {
  secret webhook { id url events active description } } }`;
const UPDATE =
  'mutation($i: UpdateWebhookInput!) { updateWebhook(input: $i) { id url events active } }';
const ROTATE = 'mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret webhook { id } } }';
const DELETE = 'mutation($id: ID!) { deleteWebhook(id: $id) { id url } }';
const DELIVERIES = `query($w: ID!, $first: Int, $after: String) { webhookDeliveries(webhookId: $w, first: $first, after: $after) {
  edges { node { event status attempts payload responseStatus } } pageInfo { hasNextPage endCursor } } }`;
const AUDIT = `query($f: AuditEventFilter, $first: Int) { auditEvents(filter: $f, first: $first) {
  edges { node { action targetType targetId actorType actorUserId data } } pageInfo { hasNextPage } } }`;

type Created = { secret: string; webhook: { id: string; url: string; events: string[] } };
type AuditPage = {
  edges: { node: { action: string; targetId: string; actorUserId: string; data: unknown } }[];
};

describe('webhooks and the audit log', () => {
  let owner: Account;
  let admin: Account;
  let engineer: Account;
  let stranger: Account;
  let hook: Created;

  beforeAll(async () => {
    owner = await signUp('owner@hooks.test', 'Hooks Org');
    admin = await member(owner, 'admin@hooks.test', 'ADMIN');
    engineer = await member(owner, 'eng@hooks.test', 'ENGINEER');
    stranger = await signUp('trudy@elsewhere.test', 'Elsewhere');
  });

  it('creates a webhook (ADMIN and up) and shows its secret once', async () => {
    const input = {
      url: 'http://127.0.0.1:9999/hooks',
      events: ['INSPECTION_FLAGGED', 'MODEL_READY', 'INSPECTION_FLAGGED'],
      description: 'line MES',
    };
    expect(code(await gql(CREATE, { i: input }, engineer.token))).toBe('FORBIDDEN');
    hook = ok<Created>(await gql(CREATE, { i: input }, admin.token), 'createWebhook');
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(hook.webhook).toMatchObject({
      url: 'http://127.0.0.1:9999/hooks',
      events: ['INSPECTION_FLAGGED', 'MODEL_READY'],
      active: true,
    });
    const row = await prisma.webhook.findUniqueOrThrow({ where: { id: hook.webhook.id } });
    // Stored as the key itself (the delivery worker signs with it) and by event name.
    expect(row.secret).toBe(hook.secret);
    expect(row.events).toEqual(['inspection.flagged', 'model.ready']);

    // Never readable afterwards: the type has no such field, and no answer carries it.
    expect(code(await gql('{ webhooks { edges { node { secret } } } }', {}, admin.token))).toBe(
      'GRAPHQL_VALIDATION_FAILED',
    );
    const list = await gql(
      '{ webhooks { edges { node { id url events active description createdAt updatedAt } } } }',
      {},
      owner.token,
    );
    expect(list.errors).toBeUndefined();
    const one = await gql(
      'query($id: ID!) { webhook(id: $id) { id url } }',
      { id: hook.webhook.id },
      owner.token,
    );
    const audit = await gql(AUDIT, {}, owner.token);
    for (const r of [list, one, audit]) expect(JSON.stringify(r)).not.toContain(hook.secret);
    expect(code(await gql('{ webhooks { edges { cursor } } }', {}, engineer.token))).toBe(
      'FORBIDDEN',
    );
  });

  it('validates URLs and events as client errors', async () => {
    const before = await prisma.webhook.count();
    const bad = [
      { url: 'ftp://example.com/x', events: ['MODEL_READY'] },
      { url: 'not a url', events: ['MODEL_READY'] },
      { url: 'javascript:alert(1)', events: ['MODEL_READY'] },
      { url: 'https://user:pw@example.com/', events: ['MODEL_READY'] },
      { url: `https://example.com/${'a'.repeat(2100)}`, events: ['MODEL_READY'] },
      { url: 'https://example.com/', events: [] },
      { url: 'https://example.com/', events: ['model.ready'] },
      { url: 'https://example.com/', events: ['EVERYTHING'] },
    ];
    for (const i of bad) {
      const r = await gql(CREATE, { i }, admin.token);
      expect(code(r), JSON.stringify(i).slice(0, 80)).toMatch(
        /^(BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED)$/,
      );
    }
    expect(
      code(await gql(UPDATE, { i: { id: hook.webhook.id, url: 'gopher://x' } }, admin.token)),
    ).toBe('BAD_USER_INPUT');
    expect(await prisma.webhook.count()).toBe(before);
  });

  it('updates and rotates the secret (returned once), with audit events', async () => {
    const updated = ok<{ url: string; events: string[]; active: boolean }>(
      await gql(
        UPDATE,
        {
          i: {
            id: hook.webhook.id,
            url: 'https://mes.example.com/padim',
            events: ['TRAINING_FAILED'],
            active: false,
          },
        },
        owner.token,
      ),
      'updateWebhook',
    );
    expect(updated).toEqual({
      id: hook.webhook.id,
      url: 'https://mes.example.com/padim',
      events: ['TRAINING_FAILED'],
      active: false,
    });
    const rotated = ok<{ secret: string; webhook: { id: string } }>(
      await gql(ROTATE, { id: hook.webhook.id }, admin.token),
      'rotateWebhookSecret',
    );
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(hook.secret);
    const row = await prisma.webhook.findUniqueOrThrow({ where: { id: hook.webhook.id } });
    expect(row.secret).toBe(rotated.secret);

    const events = ok<AuditPage>(
      await gql(AUDIT, { f: { targetType: 'Webhook', targetId: hook.webhook.id } }, admin.token),
      'auditEvents',
    );
    expect(events.edges.map((e) => e.node.action)).toEqual([
      'webhook.rotate_secret',
      'webhook.update',
      'webhook.create',
    ]);
    expect(events.edges[1]!.node.data).toMatchObject({
      before: { url: 'http://127.0.0.1:9999/hooks', active: true },
      after: { url: 'https://mes.example.com/padim', active: false },
    });
    const byActor = ok<AuditPage>(
      await gql(AUDIT, { f: { actorUserId: owner.userId } }, admin.token),
      'auditEvents',
    );
    expect(byActor.edges.map((e) => e.node.action)).toEqual(['webhook.update']);
    expect(JSON.stringify(events)).not.toContain(rotated.secret);
    expect(code(await gql(AUDIT, {}, engineer.token))).toBe('FORBIDDEN');
    expect(code(await gql(AUDIT, { f: { targetType: 'x'.repeat(300) } }, admin.token))).toBe(
      'BAD_USER_INPUT',
    );
  });

  it('pages the delivery history', async () => {
    const start = Date.now() - 3_600_000;
    for (let i = 0; i < 5; i++) {
      await prisma.webhookDelivery.create({
        data: {
          organizationId: owner.organizationId,
          webhookId: hook.webhook.id,
          event: 'training.failed',
          payload: { n: i },
          status: i === 4 ? 'FAILED' : 'SUCCEEDED',
          attempts: 1,
          responseStatus: i === 4 ? 500 : 200,
          createdAt: new Date(start + i * 1000),
        },
      });
    }
    const seen: unknown[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 5; guard++) {
      const r: Gql = await gql(DELIVERIES, { w: hook.webhook.id, first: 2, after }, owner.token);
      const page = ok<{
        edges: { node: { payload: unknown; status: string } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      }>(r, 'webhookDeliveries');
      seen.push(...page.edges.map((e) => e.node.payload));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual([{ n: 4 }, { n: 3 }, { n: 2 }, { n: 1 }, { n: 0 }]);
  });

  it("answers NOT_FOUND for another organization's ids through every operation, changing nothing", async () => {
    const id = hook.webhook.id;
    const before = await prisma.webhook.findUniqueOrThrow({ where: { id } });
    const auditBefore = await prisma.auditEvent.count();
    const attempts = [
      gql('query($id: ID!) { webhook(id: $id) { url } }', { id }, stranger.token),
      gql(UPDATE, { i: { id, url: 'https://evil.example/' } }, stranger.token),
      gql(ROTATE, { id }, stranger.token),
      gql(DELETE, { id }, stranger.token),
      gql(DELIVERIES, { w: id }, stranger.token),
      gql(DELETE, { id: 'no-such-id' }, owner.token),
    ];
    for (const r of await Promise.all(attempts)) {
      expect(code(r)).toBe('NOT_FOUND');
      expect(JSON.stringify(r)).not.toMatch(/mes\.example|whsec_|training\.failed/);
    }
    expect(await prisma.webhook.findUniqueOrThrow({ where: { id } })).toEqual(before);
    expect(await prisma.auditEvent.count()).toBe(auditBefore);
    // The stranger's own audit log and webhook list hold nothing of ours.
    const theirs = ok<AuditPage>(
      await gql(AUDIT, { f: { targetId: id } }, stranger.token),
      'auditEvents',
    );
    expect(theirs.edges).toEqual([]);
    const all = ok<AuditPage>(await gql(AUDIT, {}, stranger.token), 'auditEvents');
    expect(JSON.stringify(all)).not.toContain(id);
    expect(
      ok(await gql('{ webhooks { edges { cursor } } }', {}, stranger.token), 'webhooks'),
    ).toEqual({ edges: [] });
  });

  it('deletes a webhook with its deliveries, audited', async () => {
    const id = hook.webhook.id;
    expect(code(await gql(DELETE, { id }, engineer.token))).toBe('FORBIDDEN');
    expect(ok(await gql(DELETE, { id }, owner.token), 'deleteWebhook')).toEqual({
      id,
      url: 'https://mes.example.com/padim',
    });
    expect(await prisma.webhook.count({ where: { id } })).toBe(0);
    expect(await prisma.webhookDelivery.count({ where: { webhookId: id } })).toBe(0);
    expect(code(await gql(ROTATE, { id }, owner.token))).toBe('NOT_FOUND');
    const events = ok<AuditPage>(
      await gql(AUDIT, { f: { targetId: id }, first: 1 }, owner.token),
      'auditEvents',
    );
    expect(events.edges.map((e) => [e.node.action, e.node.actorUserId])).toEqual([
      ['webhook.delete', owner.userId],
    ]);
  });
});

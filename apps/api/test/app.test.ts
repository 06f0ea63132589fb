import { testConfig } from './helpers/config.js';
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import type { INestApplication } from '@nestjs/common';
import { buildSchema, parse, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_FILE } from '../src/app.module.js';
import { depthLimit } from '../src/common/depth-limit.js';
import { CONFIG_KEYS, ConfigError, loadConfig } from '../src/config/config.js';
import { createApp } from '../src/main.js';
import { printAppSchema } from '../src/schema.js';
import { freshPostgres } from './helpers/database.js';

let db: Awaited<ReturnType<typeof freshPostgres>>;
beforeAll(async () => {
  db = await freshPostgres();
});
afterAll(async () => db.drop());

async function start(
  readiness: { name: string; check(): Promise<void> }[] = [],
): Promise<{ app: INestApplication; url: string }> {
  const app = await createApp({
    config: testConfig(),
    database: { ...db.database, dispose: async () => undefined },
    readiness,
  });
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl() };
}

async function gql(
  url: string,
  query: string,
): Promise<{
  status: number;
  body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
}> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return { status: res.status, body: (await res.json()) as never };
}

describe('configuration', () => {
  it('.env.example lists every variable, and its values are valid', () => {
    const example = readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8');
    const named = new Set([...example.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    expect([...named].sort()).toEqual([...CONFIG_KEYS].sort());
    const values = Object.fromEntries(
      [...example.matchAll(/^([A-Z][A-Z0-9_]+)=(.*)$/gm)].map((m) => [m[1], m[2]]),
    );
    expect(() => loadConfig(values)).not.toThrow();
  });

  it('names every bad variable at once', () => {
    try {
      loadConfig({ PORT: 'abc', DATABASE_KIND: 'mysql', GRAPHQL_MAX_DEPTH: '0' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/PORT/);
      expect(problems).toMatch(/DATABASE_KIND/);
      expect(problems).toMatch(/GRAPHQL_MAX_DEPTH/);
    }
    expect(() => loadConfig({ DATABASE_KIND: 'postgres' })).toThrow(/DATABASE_URL: required/);
    expect(loadConfig({}).PORT).toBe(4000);
  });
});

describe('API over HTTP', () => {
  let app: INestApplication;
  let url: string;
  beforeAll(async () => ({ app, url } = await start()));
  afterAll(async () => app.close());

  it('answers /healthz and /readyz', async () => {
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
  });

  it('answers a query', async () => {
    const { status, body } = await gql(url, '{ status { status version } }');
    expect(status).toBe(200);
    expect(body.data).toEqual({ status: { status: 'ok', version: '0.1.0' } });
  });

  it('malformed and invalid queries are client errors, never INTERNAL_SERVER_ERROR', async () => {
    const parse = await gql(url, '{ status { ');
    expect(parse.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    const unknown = await gql(url, '{ status { nope } }');
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    for (const r of [parse, unknown])
      expect(JSON.stringify(r.body)).not.toMatch(/INTERNAL_SERVER_ERROR|stacktrace/);
  });

  it('schema.gql is fresh (regenerate with `npm run schema -w @padim/api`)', () => {
    expect(printAppSchema(app)).toBe(readFileSync(SCHEMA_FILE, 'utf8'));
  });
});

describe('readiness', () => {
  it('is 503 with the failing dependency named when a check fails', async () => {
    const { app, url } = await start([
      { name: 'database-replica', check: async () => undefined },
      { name: 'object-store', check: async () => Promise.reject(new Error('connection refused')) },
    ]);
    try {
      const res = await fetch(`${url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({
        status: 'unavailable',
        checks: [
          { name: 'database', ok: true },
          { name: 'objectStore', ok: true },
          { name: 'database-replica', ok: true },
          { name: 'object-store', ok: false, error: 'unavailable' },
        ],
      });
    } finally {
      await app.close();
    }
  });
});

describe('depth limit', () => {
  const schema = buildSchema('type Node { child: Node, name: String } type Query { root: Node }');
  it('rejects operations deeper than the limit, fragments included', () => {
    const ok = parse('{ root { child { name } } }');
    expect(validate(schema, ok, [depthLimit(3)])).toEqual([]);
    const deep = parse('{ root { child { child { child { name } } } } }');
    expect(validate(schema, deep, [depthLimit(3)])[0]?.message).toMatch(
      /5 levels deep; the limit is 3/,
    );
    const viaFragment = parse(
      'query { root { ...F } } fragment F on Node { child { child { child { name } } } }',
    );
    expect(validate(schema, viaFragment, [depthLimit(3)])).toHaveLength(1);
  });
});

describe('depth limit against fragment fan-out', () => {
  it('measures an exponentially spreading fragment chain in linear work', () => {
    const schema = buildSchema('type Query { a: Query, x: Int }');
    const n = 40; // 2^40 spreads if fragments were re-walked
    const frags = Array.from({ length: n }, (_, i) =>
      i === n - 1
        ? `fragment F${i} on Query { x }`
        : `fragment F${i} on Query { a { ...F${i + 1} } ...F${i + 1} }`,
    ).join('\n');
    const doc = parse(`{ ...F0 }\n${frags}`);
    const errors = validate(schema, doc, [depthLimit(10)]);
    expect(errors[0]?.message).toMatch(/levels deep; the limit is 10/);
  });
});

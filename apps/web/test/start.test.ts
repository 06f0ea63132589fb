/**
 * `npm start`, the real entry point (scripts/start.mjs), on a temporary data directory: the API
 * with its embedded worker and the dashboard start, the demo is seeded (procedural parts, a trained
 * version, inspections with some flagged), the demo user can sign in, Ctrl-C stops everything
 * cleanly, and a second start reuses the data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'padim-start-'));
const running: ChildProcess[] = [];

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/** This process's environment without anything that would leave the embedded defaults. */
function embeddedEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const key of ['REDIS_URL', 'DATABASE_KIND', 'DATABASE_URL', 'S3_ENDPOINT', 'HOST'])
    delete env[key];
  return env;
}

async function npmStart(apiPort: number, webPort: number) {
  const child = spawn(process.execPath, [join(ROOT, 'scripts/start.mjs')], {
    cwd: ROOT,
    env: embeddedEnv({
      DATA_DIR: dataDir,
      PADIM_CACHE_DIR: join(dataDir, 'weights'),
      PORT: String(apiPort),
      WEB_PORT: String(webPort),
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: cleanup can end the API and dashboard it started, too.
    detached: true,
  });
  running.push(child);
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const deadline = Date.now() + 280_000;
  while (!output.includes('Ctrl-C stops everything')) {
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
    if (Date.now() > deadline) throw new Error(`npm start did not come up:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return { child, output: () => output };
}

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.kill('SIGINT');
  return exited;
}

afterAll(() => {
  for (const c of running) {
    try {
      process.kill(-c.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

describe('npm start', () => {
  it('starts everything with a seeded demo, stops on Ctrl-C, and reuses the data', async () => {
    const apiPort = await freePort();
    const webPort = await freePort();
    const first = await npmStart(apiPort, webPort);
    const login = /demo login: (\S+) \/ (\S+)/.exec(first.output());
    expect(login).not.toBeNull();
    expect(first.output()).toContain(`dashboard:  http://127.0.0.1:${webPort}`);
    // No ImageNet weights here: the notice says so, and how to get them.
    expect(first.output()).toMatch(/NOTICE: the ImageNet ResNet18 weights are not available/);
    const ready = await fetch(`http://127.0.0.1:${apiPort}/readyz`);
    expect(ready.status).toBe(200);
    const gql = async (query: string, variables: object, token?: string) => {
      const res = await fetch(`http://127.0.0.1:${apiPort}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as { data: Record<string, never>; errors?: unknown[] };
    };
    const signIn = await gql('mutation($i: SignInInput!) { signIn(input: $i) { token } }', {
      i: { email: login![1], password: login![2] },
    });
    expect(signIn.errors).toBeUndefined();
    const token = (signIn.data.signIn as { token: string }).token;
    const flagged = await gql(
      '{ inspections(filter: { verdict: DEFECT }, first: 50) { edges { node { id score thresholdValue regions { x } } } } }',
      {},
      token,
    );
    const edges = (
      flagged.data.inspections as { edges: { node: { score: number; thresholdValue: number } }[] }
    ).edges;
    expect(edges.length).toBeGreaterThan(0);
    for (const { node } of edges) expect(node.score).toBeGreaterThan(node.thresholdValue);
    // The dashboard answers.
    expect((await fetch(`http://127.0.0.1:${webPort}/sign-in`)).status).toBe(200);
    expect(await stop(first.child)).toBe(0);
    await expect(fetch(`http://127.0.0.1:${apiPort}/healthz`)).rejects.toThrow();

    const second = await npmStart(apiPort, webPort);
    expect(second.output()).not.toContain('seeding the demo');
    expect(second.output()).toContain(`demo login: ${login![1]} / ${login![2]}`);
    const again = await gql('mutation($i: SignInInput!) { signIn(input: $i) { token } }', {
      i: { email: login![1], password: login![2] },
    });
    expect(again.errors).toBeUndefined();
    expect(await stop(second.child)).toBe(0);
  });
});

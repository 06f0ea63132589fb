/**
 * docker/compose.yml, checked offline with Debian's docker-compose (`config` validates without a
 * Docker engine), and against the configuration the services really read: every variable compose
 * sets for the API or a worker is one they know, and the values make a valid configuration.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadWorkerConfig } from '@padim/jobs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, loadConfig } from '../src/config/config.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const COMPOSE = 'docker/compose.yml';
const ENV_EXAMPLE = 'docker/.env.example';

interface Service {
  environment?: Record<string, string | number | boolean | null>;
  build?: { target?: string };
  healthcheck?: { test?: string[] };
  ports?: string[];
  profiles?: string[];
  deploy?: { resources?: { reservations?: { devices?: { driver: string }[] } } };
}

function composeConfig(envFile: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(
    'docker-compose',
    ['-f', COMPOSE, '--env-file', envFile, '--profile', 'gpu', 'config'],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  if (r.error)
    throw new Error(
      `docker-compose is not installed (apt-get install docker-compose): ${r.error.message}`,
    );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('docker/compose.yml', () => {
  const resolved = composeConfig(ENV_EXAMPLE);
  const services = () => (parse(resolved.stdout) as { services: Record<string, Service> }).services;

  it('is valid for docker-compose with the example environment', () => {
    expect(resolved.stderr).not.toMatch(/invalid|error/i);
    expect(resolved.status).toBe(0);
    expect(Object.keys(services()).sort()).toEqual(
      ['api', 'minio', 'minio-init', 'postgres', 'redis', 'web', 'worker', 'worker-gpu'].sort(),
    );
  });

  it('refuses to start without the secrets', () => {
    const empty = join(mkdtempSync(join(tmpdir(), 'padim-compose-')), '.env');
    writeFileSync(empty, '');
    const r = composeConfig(empty);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/POSTGRES_PASSWORD|MINIO_ROOT_PASSWORD/);
  });

  it('gives the API only variables it reads, making a valid configuration', () => {
    const env = Object.fromEntries(
      Object.entries(services().api!.environment!).map(([k, v]) => [k, String(v)]),
    );
    for (const key of Object.keys(env)) expect(CONFIG_KEYS, key).toContain(key);
    const config = loadConfig(env);
    expect(config).toMatchObject({ DATABASE_KIND: 'postgres', S3_ENDPOINT: 'minio' });
    expect(config.REDIS_URL).toBe('redis://:change-me-redis@redis:6379');
  });

  it('gives the workers a valid worker configuration, the GPU one a GPU reservation', () => {
    for (const name of ['worker', 'worker-gpu']) {
      const env = Object.fromEntries(
        Object.entries(services()[name]!.environment!).map(([k, v]) => [k, String(v)]),
      );
      const config = loadWorkerConfig(env);
      expect(config.REDIS_URL).toBe('redis://:change-me-redis@redis:6379');
    }
    const gpu = services()['worker-gpu']!;
    expect(gpu.profiles).toEqual(['gpu']);
    expect(gpu.build?.target).toBe('worker-gpu');
    expect(gpu.deploy?.resources?.reservations?.devices?.[0]?.driver).toBe('nvidia');
  });

  it('has healthchecks everywhere, non-default host ports, and an example for every variable', () => {
    for (const [name, service] of Object.entries(services())) {
      if (name === 'minio-init') continue;
      expect(service.healthcheck?.test, name).toBeDefined();
      for (const port of service.ports ?? []) {
        const text = String((port as unknown as { published?: number }).published ?? port);
        const published = /(\d+):\d+(?:\/\w+)?$/.exec(text);
        if (published) expect(Number(published[1]), `${name} ${text}`).toBeGreaterThan(50000);
        // Databases, Redis and the MinIO console are reachable from this host only.
        if (['postgres', 'redis'].includes(name) || text.includes(':9001'))
          expect(text, `${name} ${text}`).toMatch(/^127\.0\.0\.1:/);
      }
    }
    const used = new Set(
      [...readFileSync(`${ROOT}/${COMPOSE}`, 'utf8').matchAll(/\$\{([A-Z0-9_]+)/g)].map(
        (m) => m[1]!,
      ),
    );
    const example = new Set(
      readFileSync(`${ROOT}/${ENV_EXAMPLE}`, 'utf8')
        .split('\n')
        .filter((l) => /^[A-Z0-9_]+=/.test(l))
        .map((l) => l.split('=')[0]!),
    );
    expect([...used].filter((v) => !example.has(v))).toEqual([]);
  });

  it('builds every image from the one Dockerfile', () => {
    const dockerfile = readFileSync(`${ROOT}/docker/Dockerfile`, 'utf8');
    for (const target of ['api', 'worker', 'worker-gpu', 'web'])
      expect(dockerfile).toMatch(new RegExp(`^FROM \\S+ AS ${target}$`, 'm'));
    // Both worker images run the inference service's entry, and it is built.
    const workerCmds = [...dockerfile.matchAll(/^CMD \["node", "(apps\/worker\/[^"]+)"\]$/gm)];
    expect(workerCmds.map((m) => m[1])).toEqual([
      'apps/worker/dist/main.js',
      'apps/worker/dist/main.js',
    ]);
    expect(existsSync(join(ROOT, 'apps/worker/dist/main.js'))).toBe(true);
    expect(execFileSync('docker-compose', ['version', '--short'], { encoding: 'utf8' })).toMatch(
      /\d+\.\d+/,
    );
  });
});

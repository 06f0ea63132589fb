/**
 * The service boundary, checked on the real process: an API that does not run the jobs itself
 * (WORKER_EMBEDDED=false, queues on Redis) never loads onnxruntime; the embedded mode does, when
 * its worker starts. Every module the API process resolves is recorded by a loader hook, from the
 * built entry (`apps/api/dist/main.js`, as `npm start` and the Docker image run it). And the lint
 * rule that keeps static imports of the runtime out of apps/api/src fires.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ESLint } from 'eslint';
import { freshPostgres, type FreshPostgres } from '@padim/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'padim-boundary-'));

let pg: FreshPostgres;
beforeAll(async () => {
  pg = await freshPostgres('padim_boundary');
});
afterAll(async () => {
  await pg?.drop();
  rmSync(work, { recursive: true, force: true });
});

// Records the URL of every module the process resolves (the hooks run on their own thread).
writeFileSync(
  join(work, 'hooks.mjs'),
  `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.PADIM_LOAD_LOG, result.url + '\\n');
  return result;
}
`,
);
writeFileSync(
  join(work, 'register.mjs'),
  `import { register } from 'node:module';
register(${JSON.stringify(pathToFileURL(join(work, 'hooks.mjs')).href)});
`,
);

/** Starts the built API with `env`, waits until it listens (or the embedded worker is up), stops it. */
async function modulesLoaded(name: string, env: Record<string, string>): Promise<string[]> {
  const log = join(work, `${name}.log`);
  writeFileSync(log, '');
  const child = spawn(
    process.execPath,
    ['--import', pathToFileURL(join(work, 'register.mjs')).href, 'apps/api/dist/main.js'],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? work,
        PADIM_LOAD_LOG: log,
        HOST: '127.0.0.1',
        PORT: '0',
        DATA_DIR: join(work, name),
        DATABASE_KIND: 'postgres',
        DATABASE_URL: pg.url,
        LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start in 120 s:\n${output}`)), 120_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (/API listening/.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the API exited with ${code}:\n${output}`));
      });
    });
  } finally {
    child.removeAllListeners('exit');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  return readFileSync(log, 'utf8').split('\n').filter(Boolean);
}

const ONNXRUNTIME = /\/node_modules\/onnxruntime-node\//;

describe('the API process and onnxruntime', () => {
  it(
    'never loads onnxruntime when the jobs run elsewhere (WORKER_EMBEDDED=false)',
    { timeout: 180_000 },
    async () => {
      const loaded = await modulesLoaded('remote', {
        WORKER_EMBEDDED: 'false',
        REDIS_URL: 'redis://127.0.0.1:6379',
        REDIS_PREFIX: `padim-boundary-${randomBytes(4).toString('hex')}`,
      });
      // The probe works: the API's own modules and the shared rules were recorded...
      expect(loaded.some((url) => url.endsWith('/apps/api/dist/app.module.js'))).toBe(true);
      expect(loaded.some((url) => url.includes('/packages/jobs/dist/index.js'))).toBe(true);
      // ...and neither the runtime library nor the job handlers were.
      expect(loaded.filter((url) => ONNXRUNTIME.test(url))).toEqual([]);
      expect(loaded.filter((url) => url.includes('/packages/inference/dist/index.js'))).toEqual([]);
      expect(loaded.filter((url) => url.includes('/packages/jobs/dist/handlers.js'))).toEqual([]);
    },
  );

  it(
    'loads it in the embedded mode, where this process runs the worker',
    { timeout: 180_000 },
    async () => {
      const loaded = await modulesLoaded('embedded', { WORKER_EMBEDDED: 'true' });
      expect(loaded.some((url) => url.includes('/packages/jobs/dist/handlers.js'))).toBe(true);
      expect(loaded.some((url) => ONNXRUNTIME.test(url))).toBe(true);
    },
  );
});

describe('the import rules', () => {
  const eslint = new ESLint({ cwd: ROOT });
  const rulesOf = async (code: string, file: string) => {
    const [result] = await eslint.lintText(`${code}\nexport {};\n`, {
      filePath: join(ROOT, file),
    });
    return result!.messages.map((m) => m.ruleId);
  };

  it('keeps static imports of the runtime and the handlers out of apps/api/src', async () => {
    for (const code of [
      "import { Detector } from '@padim/inference';",
      "import { startWorker } from '@padim/jobs/handlers';",
      "import { runWorkerProcess } from '@padim/worker';",
    ])
      expect(await rulesOf(code, 'apps/api/src/probe.ts'), code).toContain('no-restricted-imports');
    // Types cost nothing at run time, and the shared rules are what the API should import.
    for (const code of [
      "import type { RunningWorker } from '@padim/jobs/handlers';",
      "import { can } from '@padim/jobs';",
    ])
      expect(await rulesOf(code, 'apps/api/src/probe.ts'), code).not.toContain(
        'no-restricted-imports',
      );
  });

  it('keeps the platform out of the runtime library, and apps out of each other', async () => {
    for (const code of [
      "import { forTenant } from '@padim/db';",
      "import { BullMqQueue } from '@padim/queue';",
      "import { S3ObjectStore } from '@padim/storage';",
      "import { startWorker } from '@padim/jobs/handlers';",
      "import { can } from '@padim/jobs';",
      "import { Queue } from 'bullmq';",
      "import { PrismaClient } from '@prisma/client';",
    ])
      expect(await rulesOf(code, 'packages/inference/src/probe.ts'), code).toContain(
        'no-restricted-imports',
      );
    expect(
      await rulesOf(
        "import { fitPadim } from '../pipeline/fit.js';",
        'packages/inference/src/cli/probe.ts',
      ),
    ).not.toContain('no-restricted-imports');
    expect(
      await rulesOf("import { AppModule } from '@padim/api';", 'apps/worker/src/probe.ts'),
    ).toContain('no-restricted-imports');
  });
});

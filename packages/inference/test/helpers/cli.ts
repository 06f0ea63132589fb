import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const packageDir = fileURLToPath(new URL('../../', import.meta.url));

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The real `padim` entry point (TypeScript source through tsx) in a child process, with its weights
 * cache under `workDir`.
 */
export function padimCli(workDir: string): (...args: string[]) => Promise<Run> {
  return (...args) =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', '--conditions=source', main, ...args],
        {
          cwd: packageDir,
          maxBuffer: 64 * 1024 * 1024,
          env: { ...process.env, PADIM_CACHE_DIR: join(workDir, 'cache') },
        },
        (error, stdout, stderr) =>
          resolve({
            code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
            stdout,
            stderr,
          }),
      );
    });
}

/** The JSON a successful `--json` run printed. */
export function json<T>(run: Run): T {
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as T;
}

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';

/**
 * Where the data lives. `postgres`: a PostgreSQL server (production). `pglite`: embedded
 * PostgreSQL (WebAssembly) in a directory, or in memory, for `npm start` without services and for
 * tests. `instance`: an already open PGlite that the caller owns (and closes).
 */
export type DatabaseConfig =
  | { kind: 'postgres'; url: string }
  | { kind: 'pglite'; dataDir: string | 'memory' }
  | { kind: 'pglite'; instance: PGlite };

/**
 * PGlite keeps no lock of its own: two processes on one data directory corrupt it. A lock file
 * beside the directory holds the owner's pid; a lock whose process is gone is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const file = `${dataDir.replace(/\/+$/, '')}.lock`;
  mkdirSync(dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(file, 'utf8').trim());
      // This process (a second open) or another live one holds it.
      let alive = pid === process.pid;
      try {
        if (!alive && Number.isInteger(pid) && pid > 0) {
          process.kill(pid, 0);
          alive = true;
        }
      } catch {
        alive = false;
      }
      if (alive)
        throw new Error(
          `the embedded database ${dataDir} is in use by process ${pid} (another \`npm start\`?); stop it first`,
          { cause: error },
        );
      rmSync(file, { force: true });
    }
  }
  throw new Error(`could not lock the embedded database ${dataDir}`);
}

/** Opens a PGlite for a config, and says whether the caller of this function must close it. */
export async function openPGlite(
  config: Extract<DatabaseConfig, { kind: 'pglite' }>,
): Promise<{ db: PGlite; owned: boolean; release: () => void }> {
  if ('instance' in config) return { db: config.instance, owned: false, release: () => {} };
  const { PGlite } = await import('@electric-sql/pglite');
  if (config.dataDir === 'memory') {
    const db = new PGlite();
    await db.waitReady;
    return { db, owned: true, release: () => {} };
  }
  const release = lockDataDir(config.dataDir);
  try {
    const db = new PGlite(config.dataDir);
    await db.waitReady;
    return { db, owned: true, release };
  } catch (error) {
    release();
    throw error;
  }
}

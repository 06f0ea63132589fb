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

/** Opens a PGlite for a config, and says whether the caller of this function must close it. */
export async function openPGlite(
  config: Extract<DatabaseConfig, { kind: 'pglite' }>,
): Promise<{ db: PGlite; owned: boolean }> {
  if ('instance' in config) return { db: config.instance, owned: false };
  const { PGlite } = await import('@electric-sql/pglite');
  const db = config.dataDir === 'memory' ? new PGlite() : new PGlite(config.dataDir);
  await db.waitReady;
  return { db, owned: true };
}

import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { DatabaseConfig } from './config.js';
import { openPGlite } from './config.js';
import { PrismaClient } from './generated/prisma/client.js';
import type { MigrationOptions, MigrationResult } from './migrate/index.js';
import { applyMigrations } from './migrate/index.js';

export interface Database {
  readonly prisma: PrismaClient;
  /** Applies pending migrations to this database (through the same PGlite, when embedded). */
  migrate(options?: MigrationOptions): Promise<MigrationResult>;
  /** Disconnects the client and closes what was opened for it (pool, owned PGlite). Idempotent. */
  dispose(): Promise<void>;
}

/**
 * A Prisma client on a driver adapter: @prisma/adapter-pg for PostgreSQL, pglite-prisma-adapter
 * for embedded PGlite. The query compiler is WebAssembly: nothing is downloaded, no engine
 * process runs.
 */
export async function createPrismaClient(config: DatabaseConfig): Promise<Database> {
  if (config.kind === 'postgres') {
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: config.url }) });
    return handle(prisma, config, async () => {});
  }
  const { db, owned, release } = await openPGlite(config);
  // PGlite has one connection: transactions queue behind each other (the embedded worker writes
  // too), and a busy machine slows it down; Prisma's 2 s wait / 5 s run limits are too tight.
  const prisma = new PrismaClient({
    adapter: new PrismaPGlite(db),
    transactionOptions: { maxWait: 30_000, timeout: 60_000 },
  });
  return handle(prisma, { kind: 'pglite', instance: db }, async () => {
    if (owned) await db.close();
    release();
  });
}

function handle(
  prisma: PrismaClient,
  migrationTarget: DatabaseConfig,
  close: () => Promise<void>,
): Database {
  let disposed: Promise<void> | undefined;
  return {
    prisma,
    migrate: (options) => applyMigrations(migrationTarget, options),
    dispose() {
      disposed ??= (async () => {
        await prisma.$disconnect();
        await close();
      })();
      return disposed;
    },
  };
}

import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { SchemaFilter } from '@prisma/schema-engine-wasm/schema_engine_bg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { DatabaseConfig } from '../config.js';
import { openPGlite } from '../config.js';
import { MIGRATIONS_DIR, SCHEMA_PATH } from '../paths.js';
import type { EngineLogLine, SchemaEngine } from './engine.js';
import { openSchemaEngine } from './engine.js';
import { readMigrations, writeMigration } from './migrations.js';

export { LOCKFILE, LOCKFILE_CONTENT, readMigrations } from './migrations.js';
export type { EngineLogLine } from './engine.js';

const NO_FILTERS: SchemaFilter = { externalTables: [], externalEnums: [] };

export interface MigrationOptions {
  /** Defaults to the repository's prisma/migrations. */
  migrationsDir?: string;
  /** The schema engine's log lines (JSON). Silent by default. */
  log?: (line: EngineLogLine) => void;
}

export interface SchemaOptions extends MigrationOptions {
  /** Defaults to the repository's prisma/schema.prisma. */
  schemaPath?: string;
}

export interface MigrationResult {
  /** The migrations applied by this call, in order; empty when the database was up to date. */
  appliedMigrationNames: string[];
}

/**
 * Every connection (main and shadow) is a fresh in-memory PGlite, closed by `close()`.
 * (pglite-prisma-adapter's own shadow database is never closed.)
 */
class ThrowawayPGliteFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = 'postgres';
  readonly adapterName = 'padim-throwaway-pglite';
  private readonly opened: PGlite[] = [];

  private async open(): Promise<SqlDriverAdapter> {
    const { db } = await openPGlite({ kind: 'pglite', dataDir: 'memory' });
    this.opened.push(db);
    return new PrismaPGlite(db).connect();
  }
  connect(): Promise<SqlDriverAdapter> {
    return this.open();
  }
  connectToShadowDb(): Promise<SqlDriverAdapter> {
    return this.open();
  }
  async close(): Promise<void> {
    await Promise.all(this.opened.splice(0).map((db) => db.close()));
  }
}

async function withEngine<T>(
  factory: SqlMigrationAwareDriverAdapterFactory,
  options: { datamodel?: { path: string; content: string }; log?: (line: EngineLogLine) => void },
  run: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const engine = await openSchemaEngine(factory, options);
  try {
    return await run(engine);
  } finally {
    engine.free();
  }
}

/**
 * Applies the pending migrations of the migrations folder, recording them in
 * `_prisma_migrations` exactly like `prisma migrate deploy`. Used by `npm run migrate:deploy`, by
 * the app at start-up and by tests. `{ kind: 'pglite', dataDir: 'memory' }` migrates a throwaway
 * database (a smoke test); pass an open `instance` to migrate one you keep.
 */
export async function applyMigrations(
  target: DatabaseConfig,
  options: MigrationOptions = {},
): Promise<MigrationResult> {
  const migrationsList = await readMigrations(options.migrationsDir ?? MIGRATIONS_DIR);
  const log = options.log ? { log: options.log } : {};
  if (target.kind === 'postgres') {
    // The pool is ours to end: the engine does not dispose the adapter's connections.
    const pool = new pg.Pool({ connectionString: target.url, max: 1 });
    try {
      return await withEngine(new PrismaPg(pool), log, (engine) =>
        engine.applyMigrations({ migrationsList, filters: NO_FILTERS }),
      );
    } finally {
      await pool.end();
    }
  }
  const { db, owned, release } = await openPGlite(target);
  try {
    return await withEngine(new PrismaPGlite(db), log, (engine) =>
      engine.applyMigrations({ migrationsList, filters: NO_FILTERS }),
    );
  } finally {
    if (owned) await db.close();
    release();
  }
}

async function loadSchema(schemaPath: string): Promise<{ path: string; content: string }> {
  return { path: basename(schemaPath), content: await readFile(schemaPath, 'utf8') };
}

/**
 * The SQL that would bring a database built from the migrations folder to the schema, or null
 * when they agree (the freshness check). Replays the migrations on a throwaway PGlite.
 */
export async function diffMigrationsToSchema(options: SchemaOptions = {}): Promise<string | null> {
  const migrationsList = await readMigrations(options.migrationsDir ?? MIGRATIONS_DIR);
  const datamodel = await loadSchema(options.schemaPath ?? SCHEMA_PATH);
  const factory = new ThrowawayPGliteFactory();
  try {
    const result = await withEngine(
      factory,
      { datamodel, ...(options.log ? { log: options.log } : {}) },
      (engine) =>
        engine.diff({
          from: { tag: 'migrations', ...migrationsList },
          to: { tag: 'schemaDatamodel', files: [datamodel] },
          script: true,
          exitCode: true,
          filters: NO_FILTERS,
        }),
    );
    // With exitCode set, the engine answers 2 when the diff is not empty.
    return result.exitCode === 0 ? null : (result.stdout ?? '');
  } finally {
    await factory.close();
  }
}

/** `prisma migrate dev`'s folder-name timestamp: UTC YYYYMMDDHHMMSS. */
function migrationTimestamp(now: Date): string {
  return now.toISOString().replace(/\D/g, '').slice(0, 14);
}

/**
 * Creates <timestamp>_<name>/migration.sql from the difference between the migrations folder and
 * the schema (`prisma migrate dev --create-only`, offline). Returns null when there is none.
 * (The wasm engine's own createMigration refuses an adapter-provided PostgreSQL shadow database,
 * its diff does not: the script is the same one.)
 */
export async function createMigration(
  name: string,
  options: SchemaOptions & { now?: Date } = {},
): Promise<{ name: string; path: string } | null> {
  if (!/^[A-Za-z0-9_]+$/.test(name)) {
    throw new Error(`Migration name "${name}": use letters, digits and underscores.`);
  }
  const script = await diffMigrationsToSchema(options);
  if (script === null) return null;
  const migrationsDir = options.migrationsDir ?? MIGRATIONS_DIR;
  const folder = `${migrationTimestamp(options.now ?? new Date())}_${name}`;
  return { name: folder, path: await writeMigration(migrationsDir, folder, script) };
}

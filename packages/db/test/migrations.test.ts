import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyMigrations,
  createMigration,
  diffMigrationsToSchema,
  MIGRATIONS_DIR,
  SCHEMA_PATH,
} from '../src/index.js';
import type { TestDatabase } from './postgres.js';
import { createTestDatabase } from './postgres.js';

async function migrationNames(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

describe('migrations', () => {
  it('are fresh: the migrations folder builds exactly prisma/schema.prisma', async () => {
    // When this fails, the schema was edited without `npm run migrate:create -- --name <name>`.
    const drift = await diffMigrationsToSchema();
    expect(drift, drift ?? '').toBeNull();
  });

  describe('on PostgreSQL', () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase();
    });
    afterAll(async () => {
      await database?.drop();
    });

    it('apply all migrations once, then none', async () => {
      const target = { kind: 'postgres', url: database.url } as const;
      const first = await applyMigrations(target);
      expect(first.appliedMigrationNames).toEqual(await migrationNames(MIGRATIONS_DIR));
      const second = await applyMigrations(target);
      expect(second.appliedMigrationNames).toEqual([]);
    });
  });

  describe('on PGlite', () => {
    it('apply to an open in-memory instance, then none', async () => {
      const instance = new PGlite();
      try {
        const first = await applyMigrations({ kind: 'pglite', instance });
        expect(first.appliedMigrationNames).toEqual(await migrationNames(MIGRATIONS_DIR));
        const second = await applyMigrations({ kind: 'pglite', instance });
        expect(second.appliedMigrationNames).toEqual([]);
        const tables = await instance.query<{ tablename: string }>(
          `SELECT tablename FROM pg_tables WHERE schemaname = 'public'`,
        );
        expect(tables.rows.map((row) => row.tablename)).toContain('Inspection');
      } finally {
        await instance.close();
      }
    });

    it('apply to a data directory, which keeps them across opens', async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'padim-pglite-'));
      try {
        const first = await applyMigrations({ kind: 'pglite', dataDir });
        expect(first.appliedMigrationNames.length).toBeGreaterThan(0);
        const second = await applyMigrations({ kind: 'pglite', dataDir });
        expect(second.appliedMigrationNames).toEqual([]);
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    });
  });

  describe('createMigration', () => {
    let work: string;
    beforeAll(async () => {
      work = await mkdtemp(join(tmpdir(), 'padim-migrate-'));
      await cp(MIGRATIONS_DIR, join(work, 'migrations'), { recursive: true });
    });
    afterAll(async () => {
      await rm(work, { recursive: true, force: true });
    });

    it('writes nothing when the schema has no changes', async () => {
      const migrationsDir = join(work, 'migrations');
      expect(await createMigration('noop', { migrationsDir })).toBeNull();
      expect(await migrationNames(migrationsDir)).toEqual(await migrationNames(MIGRATIONS_DIR));
    });

    it('writes <timestamp>_<name>/migration.sql for a schema change', async () => {
      const migrationsDir = join(work, 'migrations');
      const schemaPath = join(work, 'schema.prisma');
      const schema = await readFile(SCHEMA_PATH, 'utf8');
      await writeFile(schemaPath, `${schema}\nmodel Scratch {\n  id String @id\n}\n`);
      const created = await createMigration('add_scratch', {
        migrationsDir,
        schemaPath,
        now: new Date('2030-01-02T03:04:05Z'),
      });
      expect(created?.name).toBe('20300102030405_add_scratch');
      const sql = await readFile(created?.path ?? '', 'utf8');
      expect(sql).toContain('CREATE TABLE "Scratch"');
      // The new history now matches the edited schema.
      expect(await diffMigrationsToSchema({ migrationsDir, schemaPath })).toBeNull();
    });

    it('rejects names that are not folder-safe', async () => {
      await expect(createMigration('../evil')).rejects.toThrow(/letters, digits/);
    });
  });
});

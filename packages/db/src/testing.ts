/**
 * Test support (not used by the product): a fresh, migrated PostgreSQL database per test file on the
 * server the tests run against (127.0.0.1:5432, trust auth; PADIM_TEST_POSTGRES_URL overrides).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPrismaClient, type Database } from './client.js';

const ADMIN_URL =
  process.env['PADIM_TEST_POSTGRES_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface FreshPostgres {
  readonly database: Database;
  readonly url: string;
  drop(): Promise<void>;
}

/** A new database with a random name, migrated; `drop()` disposes the client and removes it. */
export async function freshPostgres(prefix = 'padim_test'): Promise<FreshPostgres> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  const database = await createPrismaClient({ kind: 'postgres', url });
  await database.migrate();
  return {
    database,
    url,
    async drop() {
      await database.dispose();
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

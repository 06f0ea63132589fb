import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPrismaClient, type Database } from '@padim/db';

const ADMIN_URL =
  process.env.PADIM_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** A fresh, migrated PostgreSQL database for one test file; `drop()` removes it. */
export async function freshPostgres(): Promise<{
  database: Database;
  url: string;
  drop(): Promise<void>;
}> {
  const name = `padim_api_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
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
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

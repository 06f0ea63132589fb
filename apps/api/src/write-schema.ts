// Regenerates apps/api/schema.gql from the code-first types: `npm run schema -w @padim/api`.
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { createPrismaClient } from '@padim/db';
import { SCHEMA_FILE } from './app.module.js';
import { loadConfig } from './config/config.js';
import { createApp } from './main.js';
import { printAppSchema } from './schema.js';

// The schema does not depend on data: an in-memory database is enough.
const database = await createPrismaClient({ kind: 'pglite', dataDir: 'memory' });
const app = await createApp({
  config: loadConfig({ NODE_ENV: 'test' }),
  database,
  worker: 'off',
});
await app.init();
writeFileSync(SCHEMA_FILE, printAppSchema(app));
await app.close();
process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
process.exit(0);

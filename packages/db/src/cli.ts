#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { applyMigrations, createMigration, diffMigrationsToSchema } from './migrate/index.js';
import type { DatabaseConfig } from './config.js';

// Offline replacement for `prisma migrate dev --create-only | deploy | diff`:
//   padim-db create --name add_x    write prisma/migrations/<timestamp>_add_x if the schema changed
//   padim-db deploy [--pglite DIR]  apply pending migrations to DATABASE_URL (or a PGlite folder)
//   padim-db check                  exit 1 when the schema has changes without a migration

const USAGE = 'usage: padim-db create --name <name> | deploy [--pglite <dir>] | check';

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { name: { type: 'string' }, pglite: { type: 'string' } },
  });
  switch (positionals[0]) {
    case 'create': {
      if (!values.name || !/^[A-Za-z0-9_]+$/.test(values.name)) {
        console.error('create needs --name <letters, digits, underscores>');
        return 2;
      }
      const created = await createMigration(values.name);
      console.log(created ? `Created ${created.path}` : 'No schema changes: nothing to create.');
      return 0;
    }
    case 'deploy': {
      let target: DatabaseConfig;
      if (values.pglite) target = { kind: 'pglite', dataDir: values.pglite };
      else if (process.env['DATABASE_URL'])
        target = { kind: 'postgres', url: process.env['DATABASE_URL'] };
      else {
        console.error('deploy needs DATABASE_URL or --pglite <dir>');
        return 2;
      }
      const { appliedMigrationNames } = await applyMigrations(target);
      console.log(
        appliedMigrationNames.length
          ? `Applied ${appliedMigrationNames.length} migration(s):\n  ${appliedMigrationNames.join('\n  ')}`
          : 'No pending migrations.',
      );
      return 0;
    }
    case 'check': {
      const drift = await diffMigrationsToSchema();
      if (drift === null) {
        console.log('prisma/migrations matches prisma/schema.prisma.');
        return 0;
      }
      console.error(
        'prisma/schema.prisma has changes without a migration. Run `npm run migrate:create -w @padim/db -- --name <name>`.\n' +
          drift,
      );
      return 1;
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

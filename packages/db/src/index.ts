export { createPrismaClient } from './client.js';
export type { Database } from './client.js';
export type { DatabaseConfig } from './config.js';
export { applyMigrations, createMigration, diffMigrationsToSchema } from './migrate/index.js';
export type {
  EngineLogLine,
  MigrationOptions,
  MigrationResult,
  SchemaOptions,
} from './migrate/index.js';
export { MIGRATIONS_DIR, PRISMA_DIR, SCHEMA_PATH } from './paths.js';

// The generated client: the PrismaClient type, the model types (Organization, Inspection, ...),
// the enums as values and types (Role, Verdict, ...), and the Prisma namespace (input types,
// Prisma.PrismaClientKnownRequestError, Prisma.JsonValue, ...).
export * from './generated/prisma/client.js';
export { TENANT_MODELS, forTenant } from './tenancy.js';

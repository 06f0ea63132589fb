import { fileURLToPath } from 'node:url';

// src/ and dist/ sit at the same depth, so this resolves to <repo>/prisma from both.
/** The repository's prisma/ folder: schema.prisma and migrations/. */
export const PRISMA_DIR = fileURLToPath(new URL('../../../prisma/', import.meta.url));
export const SCHEMA_PATH = fileURLToPath(new URL('../../../prisma/schema.prisma', import.meta.url));
export const MIGRATIONS_DIR = fileURLToPath(
  new URL('../../../prisma/migrations/', import.meta.url),
);

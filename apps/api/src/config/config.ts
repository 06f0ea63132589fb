import { z } from 'zod';

/**
 * Every environment variable the API reads, with its default. Read once at start-up; everything
 * else receives the typed `AppConfig`. A bad environment fails start-up naming every bad variable.
 */
const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** 'postgres' uses DATABASE_URL; 'pglite' the embedded database under DATA_DIR. */
  DATABASE_KIND: z.enum(['postgres', 'pglite']).default('pglite'),
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().min(1).default('./.data'),
  GRAPHQL_INTROSPECTION: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(1).max(50).default(10),
  GRAPHQL_MAX_COMPLEXITY: z.coerce.number().int().min(1).default(1000),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(24 * 14),
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug']).default('log'),
});

export type AppConfig = z.infer<typeof schema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Validates the environment; throws ConfigError listing every bad variable at once. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): AppConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`),
    );
  }
  const config = parsed.data;
  if (config.DATABASE_KIND === 'postgres' && !config.DATABASE_URL) {
    throw new ConfigError(['DATABASE_URL: required when DATABASE_KIND=postgres']);
  }
  return config;
}

/** Names and defaults, for docs and .env.example. */
export const CONFIG_KEYS = Object.keys(schema.shape);

export const APP_CONFIG = Symbol('APP_CONFIG');

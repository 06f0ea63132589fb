import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Node built-in modules, listed so that packages/core cannot reach any of them (with or without `node:`).
const NODE_BUILTINS = [
  'assert',
  'async_hooks',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'inspector',
  'module',
  'net',
  'os',
  'path',
  'perf_hooks',
  'process',
  'readline',
  'repl',
  'stream',
  'string_decoder',
  'timers',
  'tls',
  'tty',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/.turbo/**',
      '**/.next/**',
      '**/.next*/**',
      '**/coverage/**',
      'packages/db/src/generated/**',
      'apps/web/src/gql/**',
      'apps/web/next-env.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // NestJS resolves constructor and argument types from decorator metadata at run time: a class
    // used only in a type position must still be imported as a value there.
    files: ['apps/api/**/*.ts'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  {
    // The numeric core is pure: no I/O, no Node APIs, no native dependencies.
    files: ['packages/core/src/**/*.ts'],
    languageOptions: { globals: { ...globals['shared-node-browser'] } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: NODE_BUILTINS.flatMap((name) => [
            { name, message: 'packages/core is pure: no Node APIs.' },
            { name: `node:${name}`, message: 'packages/core is pure: no Node APIs.' },
          ]),
          patterns: [
            { group: ['node:*'], message: 'packages/core is pure: no Node APIs.' },
            { group: ['sharp', 'sharp/*'], message: 'packages/core does no image I/O.' },
            {
              group: ['onnxruntime-*', 'onnxruntime-*/*'],
              message: 'packages/core has no native runtime.',
            },
            {
              group: ['@prisma/*', 'prisma', '.prisma/*'],
              message: 'packages/core has no database.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'packages/core is pure: no Node APIs.' },
        { name: 'Buffer', message: 'packages/core uses Uint8Array, not Buffer.' },
        { name: 'require', message: 'packages/core is ESM and pure.' },
        { name: '__dirname', message: 'packages/core does no I/O.' },
        { name: 'fetch', message: 'packages/core does no I/O.' },
      ],
    },
  },
  {
    // The runtime library knows nothing of the platform: no database, queue, object store or job
    // handlers (they build on it, not the other way round).
    files: ['packages/inference/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@padim/db',
                '@padim/db/*',
                '@padim/queue',
                '@padim/queue/*',
                '@padim/storage',
                '@padim/storage/*',
                '@padim/jobs',
                '@padim/jobs/*',
                '@padim/api',
                '@padim/worker',
                '@padim/web',
              ],
              message:
                'packages/inference is the runtime library: it imports nothing of the platform.',
            },
            {
              group: ['@prisma/*', 'prisma', 'bullmq', 'ioredis', 'minio'],
              message:
                'packages/inference is the runtime library: no database, queue or object store.',
            },
          ],
        },
      ],
    },
  },
  {
    // Apps never import apps: what two apps share lives in a package.
    files: ['apps/api/src/**/*.ts'],
    // The demo seeder runs in `npm start`'s own process, never inside the API.
    ignores: ['apps/api/src/demo/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@padim/inference',
              allowTypeImports: true,
              message:
                'The API never loads onnxruntime at start-up: the embedded mode imports @padim/jobs/handlers dynamically.',
            },
            {
              name: '@padim/jobs/handlers',
              allowTypeImports: true,
              message:
                'The API never loads onnxruntime at start-up: the embedded mode imports @padim/jobs/handlers dynamically.',
            },
          ],
          patterns: [
            { group: ['@padim/worker', '@padim/web'], message: 'Apps never import apps.' },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/worker/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@padim/api', '@padim/web'], message: 'Apps never import apps.' }] },
      ],
    },
  },
  {
    // Tenancy by structure: services reach tenant data only through TenantDb
    // (apps/api/src/database/tenant-db.ts), never through the raw client (PRISMA, DATABASE) or a
    // forTenant of their own. The raw client is for code that runs before any tenant exists.
    files: ['apps/api/src/**/*.ts'],
    ignores: [
      'apps/api/src/database/database.module.ts', // provides the raw client
      'apps/api/src/database/tenant-db.ts', // builds the tenant clients
      'apps/api/src/auth/auth.service.ts', // sign-up, sign-in, sessions and API-key tokens
      'apps/api/src/auth/viewer.service.ts', // a user's organizations, across tenants
      'apps/api/src/organizations/organizations.service.ts', // creating an organization
      'apps/api/src/pipeline/pipeline.lifecycle.ts', // the embedded worker serves every organization
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...[
          'ImportDeclaration[source.value=/database\\.module(\\.js)?$/] > ImportSpecifier[imported.name=/^(PRISMA|DATABASE)$/]',
          'ImportDeclaration[source.value=/database\\.module(\\.js)?$/] > ImportNamespaceSpecifier',
          'ExportNamedDeclaration[source.value=/database\\.module(\\.js)?$/] > ExportSpecifier[local.name=/^(PRISMA|DATABASE)$/]',
          'ExportAllDeclaration[source.value=/database\\.module(\\.js)?$/]',
          'ImportExpression[source.value=/database\\.module(\\.js)?$/]',
        ].map((selector) => ({
          selector,
          message:
            'Inject TenantDb and call tenants.for(actor, permission): the raw client is only for the allow-list in eslint.config.mjs.',
        })),
        ...[
          'ImportDeclaration[source.value=/^@padim\\/db(\\/.*)?$/] > ImportSpecifier[imported.name="forTenant"]',
          'ExportNamedDeclaration[source.value=/^@padim\\/db(\\/.*)?$/] > ExportSpecifier[local.name="forTenant"]',
          'MemberExpression[property.name="forTenant"]',
        ].map((selector) => ({
          selector,
          message:
            'Use tenants.for(actor, permission).db (TenantDb): it checks the permission and memoises the tenant client.',
        })),
      ],
    },
  },
);

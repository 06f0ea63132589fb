// GraphQL types for the dashboard, generated from the API's committed schema (apps/api/schema.gql)
// and the operations written with `graphql(...)` in src/. Run `npm run codegen -w @padim/web`;
// test/codegen.test.ts fails when src/gql is stale.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: '../api/schema.gql',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*'],
  ignoreNoDocuments: true,
  generates: {
    './src/gql/': {
      preset: 'client',
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string', JSON: 'unknown', Upload: 'File' },
        avoidOptionals: { field: true, inputValue: false, object: true },
      },
      presetConfig: { fragmentMasking: false },
    },
  },
};

export default config;

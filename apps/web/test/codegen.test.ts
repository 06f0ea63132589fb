/**
 * src/gql (the dashboard's GraphQL types) must match what codegen makes from the committed
 * apps/api/schema.gql and the operations in src/: a stale type would hide a broken query.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import config from '../codegen';

const WEB = fileURLToPath(new URL('..', import.meta.url));

describe('generated GraphQL types', () => {
  it('are fresh (regenerate with `npm run codegen -w @padim/web`)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'padim-codegen-'));
    const [[, target]] = Object.entries(config.generates) as [string, object][];
    await generate(
      {
        ...config,
        cwd: WEB,
        silent: true,
        generates: { [`${out}/`]: target },
      },
      true,
    );
    const committed = join(WEB, 'src/gql');
    const files = readdirSync(committed).sort();
    expect(readdirSync(out).sort()).toEqual(files);
    for (const f of files)
      expect(readFileSync(join(out, f), 'utf8'), f).toBe(readFileSync(join(committed, f), 'utf8'));
  });
});

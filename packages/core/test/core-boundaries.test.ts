import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const coreSrc = join(repoRoot, 'packages/core/src');

describe('packages/core stays pure', () => {
  it('the lint rule rejects Node, sharp, onnxruntime and Prisma imports in core', async () => {
    const eslint = new ESLint({ cwd: repoRoot });
    const offenders = [
      "import { readFileSync } from 'node:fs';",
      "import { readFileSync } from 'fs';",
      "import sharp from 'sharp';",
      "import * as ort from 'onnxruntime-node';",
      "import { PrismaClient } from '@prisma/client';",
      'export const n = process.pid;',
      "export const b = Buffer.from('x');",
    ];
    for (const code of offenders) {
      const [result] = await eslint.lintText(`${code}\nexport {};\n`, {
        filePath: join(coreSrc, 'probe.ts'),
      });
      const rules = result!.messages.map((m) => m.ruleId);
      expect(
        rules.some((r) => r === 'no-restricted-imports' || r === 'no-restricted-globals'),
        code,
      ).toBe(true);
    }
    // A pure import is fine.
    const [clean] = await eslint.lintText(
      "import { EPSILON } from './constants.js';\nexport const e = EPSILON;\n",
      {
        filePath: join(coreSrc, 'probe.ts'),
      },
    );
    expect(clean!.messages.filter((m) => m.ruleId?.startsWith('no-restricted'))).toEqual([]);
  });

  it('declares no runtime dependency with native code or I/O', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'packages/core/package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    expect(Object.keys(pkg.dependencies ?? {})).toEqual(['ml-matrix']);
    expect(readdirSync(coreSrc).length).toBeGreaterThan(5);
  });
});

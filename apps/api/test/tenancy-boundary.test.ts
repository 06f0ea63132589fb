import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PrismaClient } from '@padim/db';
import { ESLint } from 'eslint';
import { describe, expect, it, vi } from 'vitest';
import type { Actor } from '../src/auth/actor.js';
import { Permission, Role } from '../src/auth/roles.js';
import { TenantDb } from '../src/database/tenant-db.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const apiSrc = join(repoRoot, 'apps/api/src');
const RULE = 'no-restricted-syntax';

/** The files that may hold the raw client: no tenant exists yet where they run. */
const ALLOWED = [
  'auth/auth.service.ts',
  'auth/viewer.service.ts',
  'database/database.module.ts',
  'database/tenant-db.ts',
  'organizations/organizations.service.ts',
  'pipeline/pipeline.lifecycle.ts',
].sort();

async function ruleIds(eslint: ESLint, code: string, file: string): Promise<(string | null)[]> {
  const [result] = await eslint.lintText(code, { filePath: join(apiSrc, file) });
  return result!.messages.map((m) => m.ruleId);
}

describe('tenancy by structure', () => {
  it('the lint rule rejects the raw client and forTenant in a service', async () => {
    const eslint = new ESLint({ cwd: repoRoot });
    const offenders = [
      "import { PRISMA } from '../database/database.module.js';\nexport const t = PRISMA;",
      "import { PRISMA as RAW } from '../database/database.module.js';\nexport const t = RAW;",
      "import { DATABASE } from '../database/database.module.js';\nexport const t = DATABASE;",
      "import * as database from '../database/database.module.js';\nexport const t = database;",
      "export { PRISMA } from '../database/database.module.js';",
      "export const m = import('../database/database.module.js');",
      "import { forTenant } from '@padim/db';\nexport const f = forTenant;",
      "import { forTenant as scoped } from '@padim/db';\nexport const f = scoped;",
      "import * as padimDb from '@padim/db';\nexport const f = padimDb.forTenant;",
    ];
    for (const code of offenders) {
      expect(await ruleIds(eslint, code, 'projects/probe.ts'), code).toContain(RULE);
    }
    // The way in: TenantDb, and the module itself (DatabaseModule, as app.module.ts imports it).
    const clean = [
      "import { TenantDb } from '../database/tenant-db.js';\nexport const t = TenantDb;",
      "import { DatabaseModule } from '../database/database.module.js';\nexport const m = DatabaseModule;",
      "import { Prisma, type PrismaClient } from '@padim/db';\nexport type C = PrismaClient;\nexport const p = Prisma;",
    ];
    for (const code of clean) {
      expect(await ruleIds(eslint, code, 'projects/probe.ts'), code).not.toContain(RULE);
    }
    // An allow-listed file may take the raw client.
    expect(
      await ruleIds(
        eslint,
        "import { PRISMA } from '../database/database.module.js';\nexport const t = PRISMA;",
        'auth/auth.service.ts',
      ),
    ).not.toContain(RULE);
  });

  it('applies to every API source file except the allow-list', async () => {
    const eslint = new ESLint({ cwd: repoRoot });
    const files = readdirSync(apiSrc, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join(apiSrc, f));
    expect(files.length).toBeGreaterThan(50);
    const exempt: string[] = [];
    for (const file of files) {
      const config = (await eslint.calculateConfigForFile(file)) as {
        rules?: Record<string, unknown>;
      };
      if (!config.rules?.[RULE]) exempt.push(relative(apiSrc, file).split('\\').join('/'));
    }
    expect(exempt.sort()).toEqual(ALLOWED);
  });
});

describe('TenantDb', () => {
  const actor = (organizationId: string | null, role: Role | null): Actor => ({
    kind: 'user',
    userId: 'u',
    apiKeyId: null,
    sessionId: 's',
    organizationId,
    role,
  });

  it('checks the permission first, then hands out one tenant client per organization', () => {
    // forTenant extends the client it is given: count the extensions.
    const $extends = vi.fn((_extension: { name: string }) => ({}));
    const tenants = new TenantDb({ $extends } as unknown as PrismaClient);
    expect(() => tenants.for(actor(null, null), Permission.READ)).toThrow(
      expect.objectContaining({ code: 'NO_ORGANIZATION' }),
    );
    expect(() => tenants.for(actor('a', Role.VIEWER), Permission.MANAGE_MODELS)).toThrow(
      expect.objectContaining({ code: 'PERMISSION_DENIED' }),
    );
    expect($extends).not.toHaveBeenCalled();

    const a1 = tenants.for(actor('a', Role.ENGINEER), Permission.MANAGE_MODELS);
    const a2 = tenants.for(actor('a', Role.VIEWER), Permission.READ);
    const b = tenants.for(actor('b', Role.OWNER), Permission.READ);
    expect([a1.organizationId, a1.role, b.organizationId, b.role]).toEqual([
      'a',
      Role.ENGINEER,
      'b',
      Role.OWNER,
    ]);
    expect(a2.db).toBe(a1.db);
    expect(b.db).not.toBe(a1.db);
    expect($extends.mock.calls.map(([e]) => e.name)).toEqual(['tenant:a', 'tenant:b']);
  });
});

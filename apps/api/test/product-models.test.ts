import 'reflect-metadata';
import type { ObjectStore } from '@padim/storage';
import type { PrismaClient } from '@padim/db';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AuditService } from '../src/audit/audit.service.js';
import type { Actor } from '../src/auth/actor.js';
import { Role } from '../src/auth/roles.js';
import { TenantDb } from '../src/database/tenant-db.js';
import { ProductModelsService } from '../src/product-models/product-models.service.js';
import { TestApi, code, ok, type Account, type Gql } from './helpers/api.js';

let api: TestApi;
const gql = (query: string, variables: Record<string, unknown> = {}, token?: string) =>
  api.gql(query, variables, token);
const signUp = (email: string, org: string) => api.signUp(email, org);
beforeAll(async () => {
  api = await TestApi.start();
});
afterAll(async () => api.close());

/** Signs `email` up and makes them a `role` member of `owner`'s organization, acting in it. */
async function member(owner: Account, email: string, role: string): Promise<Account> {
  const account = await signUp(email, `${email} home`);
  ok(
    await gql(
      'mutation($i: AddMemberInput!) { addMember(input: $i) { id } }',
      { i: { email, role } },
      owner.token,
    ),
    'addMember',
  );
  ok(
    await gql(
      'mutation($i: SwitchOrganizationInput!) { switchOrganization(input: $i) { role } }',
      { i: { organizationId: owner.organizationId } },
      account.token,
    ),
    'switchOrganization',
  );
  return { ...account, organizationId: owner.organizationId };
}

async function project(token: string, name: string): Promise<string> {
  const r = await gql(
    'mutation($i: CreateProjectInput!) { createProject(input: $i) { id } }',
    { i: { name } },
    token,
  );
  return ok<{ id: string }>(r, 'createProject').id;
}

const FIELDS = 'id projectId name cameraPose description';
const CREATE = `mutation($i: CreateProductModelInput!) { createProductModel(input: $i) { ${FIELDS} } }`;
const UPDATE = `mutation($i: UpdateProductModelInput!) { updateProductModel(input: $i) { ${FIELDS} } }`;
const DELETE = `mutation($id: ID!) { deleteProductModel(id: $id) { ${FIELDS} } }`;
const GET = `query($id: ID!) { productModel(id: $id) { ${FIELDS} } }`;
const LIST = `query($p: ID, $f: Int, $a: String) { productModels(projectId: $p, first: $f, after: $a) { edges { cursor node { ${FIELDS} } } pageInfo { hasNextPage endCursor } } }`;

type Pm = {
  id: string;
  projectId: string;
  name: string;
  cameraPose: string;
  description: string | null;
};
type PmPage = {
  edges: { node: Pm }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
};

async function create(token: string, input: Record<string, unknown>): Promise<Pm> {
  return ok<Pm>(await gql(CREATE, { i: input }, token), 'createProductModel');
}

describe('product models', () => {
  let owner: Account;
  let projectId: string;
  beforeAll(async () => {
    owner = await signUp('owner@pm.test', 'PM Works');
    projectId = await project(owner.token, 'Gearbox line');
  });

  it('creates, reads, updates and deletes, with a default camera pose; every change audited', async () => {
    const made = await create(owner.token, {
      projectId,
      name: '  Housing ',
      description: ' cast aluminium ',
    });
    expect(made).toMatchObject({
      projectId,
      name: 'Housing',
      cameraPose: 'default',
      description: 'cast aluminium',
    });
    expect(ok(await gql(GET, { id: made.id }, owner.token), 'productModel')).toEqual(made);

    const updated = await gql(
      UPDATE,
      { i: { id: made.id, cameraPose: 'top', description: '' } },
      owner.token,
    );
    expect(ok(updated, 'updateProductModel')).toEqual({
      ...made,
      cameraPose: 'top',
      description: null,
    });

    const deleted = await gql(DELETE, { id: made.id }, owner.token);
    expect(ok<Pm>(deleted, 'deleteProductModel').name).toBe('Housing');
    expect(code(await gql(GET, { id: made.id }, owner.token))).toBe('NOT_FOUND');
    expect(code(await gql(DELETE, { id: made.id }, owner.token))).toBe('NOT_FOUND');

    const events = await api.prisma.auditEvent.findMany({
      where: { organizationId: owner.organizationId, targetId: made.id },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    expect(events.map((e) => e.action)).toEqual([
      'product_model.create',
      'product_model.update',
      'product_model.delete',
    ]);
  });

  it('(project, name, camera pose) is unique: CONFLICT on create and on update', async () => {
    const top = await create(owner.token, { projectId, name: 'Cover', cameraPose: 'top' });
    const side = await create(owner.token, { projectId, name: 'Cover', cameraPose: 'side' });
    expect(side.id).not.toBe(top.id);
    const other = await project(owner.token, 'Other line');
    await create(owner.token, { projectId: other, name: 'Cover', cameraPose: 'top' });

    expect(
      code(
        await gql(CREATE, { i: { projectId, name: 'Cover', cameraPose: ' top ' } }, owner.token),
      ),
    ).toBe('CONFLICT');
    expect(code(await gql(UPDATE, { i: { id: side.id, cameraPose: 'top' } }, owner.token))).toBe(
      'CONFLICT',
    );
    expect(ok<Pm>(await gql(GET, { id: side.id }, owner.token), 'productModel').cameraPose).toBe(
      'side',
    );
  });

  it('rejects bad input with typed client errors, never INTERNAL_SERVER_ERROR', async () => {
    // A well-formed cursor whose id PostgreSQL cannot even compare (NUL byte).
    const nulCursor = Buffer.from(JSON.stringify([new Date().toISOString(), '\u0000'])).toString(
      'base64url',
    );
    const pm = await create(owner.token, { projectId, name: 'Valid' });
    const cases: [Gql, string][] = [
      [await gql(CREATE, { i: { projectId, name: '   ' } }, owner.token), 'BAD_USER_INPUT'],
      [
        await gql(CREATE, { i: { projectId, name: 'x'.repeat(201) } }, owner.token),
        'BAD_USER_INPUT',
      ],
      [
        await gql(CREATE, { i: { projectId, name: 'P', cameraPose: '' } }, owner.token),
        'BAD_USER_INPUT',
      ],
      [
        await gql(
          CREATE,
          { i: { projectId, name: 'P', description: 'd'.repeat(2001) } },
          owner.token,
        ),
        'BAD_USER_INPUT',
      ],
      [await gql(CREATE, { i: { name: 'P' } }, owner.token), 'BAD_USER_INPUT'],
      [
        await gql(CREATE, { i: { projectId: 'no-such-project', name: 'P' } }, owner.token),
        'NOT_FOUND',
      ],
      [await gql(UPDATE, { i: { id: pm.id, name: '' } }, owner.token), 'BAD_USER_INPUT'],
      [
        await gql(UPDATE, { i: { id: "'; DROP TABLE x; --", name: 'Q' } }, owner.token),
        'NOT_FOUND',
      ],
      [await gql(GET, { id: '%00\u0000' }, owner.token), 'BAD_USER_INPUT'],
      [await gql(GET, { id: 'z'.repeat(10000) }, owner.token), 'NOT_FOUND'],
      [await gql(DELETE, { id: '' }, owner.token), 'NOT_FOUND'],
      [await gql(LIST, { p: 'not-an-id' }, owner.token), 'NOT_FOUND'],
      [await gql(LIST, { f: 0 }, owner.token), 'BAD_USER_INPUT'],
      [await gql(LIST, { f: 101 }, owner.token), 'BAD_USER_INPUT'],
      [await gql(LIST, { a: 'garbage' }, owner.token), 'BAD_USER_INPUT'],
      [await gql(LIST, { a: nulCursor }, owner.token), 'BAD_USER_INPUT'],
      [await gql(CREATE, { i: { projectId, name: 'a\u0000b' } }, owner.token), 'BAD_USER_INPUT'],
      [
        await gql(CREATE, { i: { projectId, name: 'P', cameraPose: 'cam\u0000' } }, owner.token),
        'BAD_USER_INPUT',
      ],
      [
        await gql(CREATE, { i: { projectId, name: 'P', description: '\u0000' } }, owner.token),
        'BAD_USER_INPUT',
      ],
      [await gql(CREATE, { i: { projectId: '\u0000', name: 'P' } }, owner.token), 'BAD_USER_INPUT'],
      [await gql(UPDATE, { i: { id: '\u0000', name: 'P' } }, owner.token), 'BAD_USER_INPUT'],
      [await gql(DELETE, { id: '\u0000' }, owner.token), 'BAD_USER_INPUT'],
      [await gql(LIST, { p: '\u0000' }, owner.token), 'BAD_USER_INPUT'],
    ];
    for (const [r, expected] of cases) expect(code(r)).toBe(expected);
    expect(ok<Pm>(await gql(GET, { id: pm.id }, owner.token), 'productModel').name).toBe('Valid');
  });
});

describe('roles', () => {
  it('VIEWER and INSPECTOR read but cannot write; ENGINEER writes (MANAGE_MODELS)', async () => {
    const owner = await signUp('owner@pm-roles.test', 'Roles Works');
    const projectId = await project(owner.token, 'Line');
    const viewer = await member(owner, 'viewer@pm-roles.test', 'VIEWER');
    const inspector = await member(owner, 'inspector@pm-roles.test', 'INSPECTOR');
    const engineer = await member(owner, 'engineer@pm-roles.test', 'ENGINEER');
    const pm = await create(owner.token, { projectId, name: 'Bracket' });

    for (const who of [viewer, inspector]) {
      expect(ok(await gql(GET, { id: pm.id }, who.token), 'productModel')).toEqual(pm);
      expect(
        ok<PmPage>(await gql(LIST, { p: projectId }, who.token), 'productModels').edges,
      ).toHaveLength(1);
      const writes = await Promise.all([
        gql(CREATE, { i: { projectId, name: 'Nope' } }, who.token),
        gql(UPDATE, { i: { id: pm.id, name: 'Nope' } }, who.token),
        gql(DELETE, { id: pm.id }, who.token),
      ]);
      for (const r of writes) expect(code(r)).toBe('FORBIDDEN');
    }
    expect(ok(await gql(GET, { id: pm.id }, owner.token), 'productModel')).toEqual(pm);

    const made = await create(engineer.token, { projectId, name: 'Bracket', cameraPose: 'cam-2' });
    expect(
      ok<Pm>(
        await gql(UPDATE, { i: { id: made.id, name: 'Bracket B' } }, engineer.token),
        'updateProductModel',
      ).name,
    ).toBe('Bracket B');
    expect(
      ok<Pm>(await gql(DELETE, { id: made.id }, engineer.token), 'deleteProductModel').id,
    ).toBe(made.id);
  });
});

describe('pagination and Project.productModels', () => {
  it('pages newest first, filters by project, and resolves Project.productModels in one batch', async () => {
    const owner = await signUp('owner@pm-pages.test', 'Pages Works');
    const a = await project(owner.token, 'A');
    const b = await project(owner.token, 'B');
    for (let i = 0; i < 5; i++) await create(owner.token, { projectId: a, name: `A${i}` });
    await create(owner.token, { projectId: b, name: 'B0', cameraPose: 'top' });
    await create(owner.token, { projectId: b, name: 'B0', cameraPose: 'side' });

    const names: string[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 10; guard++) {
      const page: PmPage = ok(
        await gql(LIST, { p: a, f: 2, a: after }, owner.token),
        'productModels',
      );
      expect(page.edges.length).toBeLessThanOrEqual(2);
      names.push(...page.edges.map((e) => e.node.name));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(names).toEqual(['A4', 'A3', 'A2', 'A1', 'A0']);
    const all: PmPage = ok(await gql(LIST, {}, owner.token), 'productModels');
    expect(all.edges).toHaveLength(7);

    const tree = await gql(
      '{ projects { edges { node { name productModels { name cameraPose } } } } }',
      {},
      owner.token,
    );
    expect(ok(tree, 'projects')).toEqual({
      edges: [
        {
          node: {
            name: 'B',
            productModels: [
              { name: 'B0', cameraPose: 'side' },
              { name: 'B0', cameraPose: 'top' },
            ],
          },
        },
        {
          node: {
            name: 'A',
            productModels: ['A0', 'A1', 'A2', 'A3', 'A4'].map((name) => ({
              name,
              cameraPose: 'default',
            })),
          },
        },
      ],
    });
  });
});

describe('tenancy: product models of another organization are invisible', () => {
  it('every query and mutation that takes an id answers NOT_FOUND for a foreign id, and changes nothing', async () => {
    const alice = await signUp('alice@pm-tenancy.test', 'Alice Gears');
    const bob = await signUp('bob@pm-tenancy.test', 'Bob Bolts');
    const aliceProject = await project(alice.token, 'Secret line');
    const secret = await create(alice.token, {
      projectId: aliceProject,
      name: 'Secret housing',
      cameraPose: 'secret-cam',
      description: 'classified',
    });
    const bobProject = await project(bob.token, 'Bob line');
    const bobPm = await create(bob.token, { projectId: bobProject, name: 'Bob part' });

    const attempts = await Promise.all([
      gql(GET, { id: secret.id }, bob.token),
      gql(LIST, { p: aliceProject }, bob.token),
      gql(CREATE, { i: { projectId: aliceProject, name: 'Planted' } }, bob.token),
      gql(UPDATE, { i: { id: secret.id, name: 'pwned' } }, bob.token),
      gql(DELETE, { id: secret.id }, bob.token),
    ]);
    for (const r of attempts) {
      expect(code(r)).toBe('NOT_FOUND');
      expect(JSON.stringify(r)).not.toMatch(/Secret|secret-cam|classified/);
    }

    const bobList: PmPage = ok(await gql(LIST, {}, bob.token), 'productModels');
    expect(bobList.edges.map((e) => e.node.id)).toEqual([bobPm.id]);
    const bobTree = await gql(
      '{ projects { edges { node { productModels { name } } } } }',
      {},
      bob.token,
    );
    expect(JSON.stringify(bobTree)).not.toMatch(/Secret/);

    expect(ok(await gql(GET, { id: secret.id }, alice.token), 'productModel')).toEqual(secret);
    const aliceList: PmPage = ok(
      await gql(LIST, { p: aliceProject }, alice.token),
      'productModels',
    );
    expect(aliceList.edges.map((e) => e.node.name)).toEqual(['Secret housing']);
    expect(
      await api.prisma.productModel.count({
        where: { organizationId: bob.organizationId },
      }),
    ).toBe(1);
    // Alice cannot reach Bob's either, and a foreign project id cannot anchor a new model.
    expect(code(await gql(GET, { id: bobPm.id }, alice.token))).toBe('NOT_FOUND');
    expect(
      code(await gql(CREATE, { i: { projectId: bobProject, name: 'Bob part' } }, alice.token)),
    ).toBe('NOT_FOUND');
  });
});

describe('Project.productModels loader', () => {
  it('loads the product models of many projects in one query per request', async () => {
    const findMany = vi.fn(async () => [
      { id: 'm1', projectId: 'p1', name: 'A' },
      { id: 'm2', projectId: 'p2', name: 'B' },
    ]);
    // forTenant extends the client it is given: the fake hands back its own query surface.
    const prisma = { $extends: () => ({ productModel: { findMany } }) };
    const service = new ProductModelsService(
      new TenantDb(prisma as unknown as PrismaClient),
      {} as unknown as AuditService,
      {} as unknown as ObjectStore,
    );
    const actor: Actor = {
      kind: 'user',
      userId: 'u',
      apiKeyId: null,
      sessionId: 's',
      organizationId: 'o',
      role: Role.VIEWER,
    };
    const request = {};
    const [p1, p2, p3] = await Promise.all(
      ['p1', 'p2', 'p3'].map((id) => service.ofProject(actor, request, id)),
    );
    expect(findMany).toHaveBeenCalledTimes(1);
    expect(findMany.mock.calls[0]).toMatchObject([
      { where: { projectId: { in: ['p1', 'p2', 'p3'] } } },
    ]);
    expect([p1!.map((m) => m.id), p2!.map((m) => m.id), p3]).toEqual([['m1'], ['m2'], []]);
    // Another request gets its own loader (no cache shared across requests).
    await service.ofProject(actor, {}, 'p1');
    expect(findMany).toHaveBeenCalledTimes(2);
  });
});

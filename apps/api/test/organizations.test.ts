import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApi, code, ok, type Account, type Gql } from './helpers/api.js';

let api: TestApi;
const gql = (query: string, variables: Record<string, unknown> = {}, token?: string) =>
  api.gql(query, variables, token);
const signUp = (email: string, org: string) => api.signUp(email, org);
beforeAll(async () => {
  api = await TestApi.start();
});
afterAll(async () => api.close());

async function switchTo(account: Account, organizationId: string): Promise<void> {
  const r = await gql(
    'mutation($i: SwitchOrganizationInput!) { switchOrganization(input: $i) { role } }',
    { i: { organizationId } },
    account.token,
  );
  expect(r.errors).toBeUndefined();
}

const ADD = 'mutation($i: AddMemberInput!) { addMember(input: $i) { id role user { id email } } }';
const CHANGE =
  'mutation($i: ChangeMemberRoleInput!) { changeMemberRole(input: $i) { role user { email } } }';
const REMOVE = 'mutation($u: ID!) { removeMember(userId: $u) { role user { email } } }';
const MEMBERS =
  'query($f: Int, $a: String) { members(first: $f, after: $a) { edges { cursor node { role user { id email name } } } pageInfo { hasNextPage endCursor } } }';

type MemberNode = { role: string; user: { id: string; email: string; name: string } };
type MemberPage = {
  edges: { node: MemberNode }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
};

/** Every member of the account's active organization, walking all pages. */
async function allMembers(token: string, first = 100): Promise<MemberNode[]> {
  const nodes: MemberNode[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 50; guard++) {
    const page: MemberPage = ok(await gql(MEMBERS, { f: first, a: after }, token), 'members');
    nodes.push(...page.edges.map((e) => e.node));
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  return nodes;
}

async function roleOf(organizationId: string, userId: string): Promise<string | null> {
  const m = await api.prisma.membership.findUnique({
    where: { organizationId_userId: { organizationId, userId } },
  });
  return m?.role ?? null;
}

async function auditActions(organizationId: string): Promise<string[]> {
  const events = await api.prisma.auditEvent.findMany({
    where: { organizationId },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  return events.map((e) => e.action);
}

describe('organizations', () => {
  it('creates an organization with the creator as OWNER, audited; the session does not switch', async () => {
    const founder = await signUp('founder@orgs.test', 'First Works');
    const created = await gql(
      'mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { id name slug } }',
      { i: { name: '  Second Works  ' } },
      founder.token,
    );
    const org = ok<{ id: string; name: string; slug: string }>(created, 'createOrganization');
    expect(org.name).toBe('Second Works');
    expect(org.slug).toMatch(/^second-works-[0-9a-f]{8}$/);
    expect(await roleOf(org.id, founder.userId)).toBe('OWNER');
    expect(await auditActions(org.id)).toEqual(['organization.create']);

    // Still acting in the first organization until switching.
    const active = await gql('{ organization { id name } }', {}, founder.token);
    expect(ok(active, 'organization')).toEqual({ id: founder.organizationId, name: 'First Works' });
    await switchTo(founder, org.id);
    const now = await gql('{ organization { id name } viewer { role } }', {}, founder.token);
    expect(now.data).toEqual({
      organization: { id: org.id, name: 'Second Works' },
      viewer: { role: 'OWNER' },
    });

    const blank = await gql(
      'mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { id } }',
      { i: { name: '   ' } },
      founder.token,
    );
    expect(code(blank)).toBe('BAD_USER_INPUT');
    const tooLong = await gql(
      'mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { id } }',
      { i: { name: 'x'.repeat(201) } },
      founder.token,
    );
    expect(code(tooLong)).toBe('BAD_USER_INPUT');
    expect(code(await gql('{ organization { id } }'))).toBe('UNAUTHENTICATED');
  });

  it('an API key cannot create organizations', async () => {
    const owner = await signUp('keys@orgs.test', 'Key Works');
    const key = await gql(
      'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }',
      { i: { name: 'ci', role: 'ADMIN' } },
      owner.token,
    );
    const { secret } = ok<{ secret: string }>(key, 'createApiKey');
    const r = await gql(
      'mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { id } }',
      { i: { name: 'Machine Org' } },
      secret,
    );
    expect(code(r)).toBe('FORBIDDEN');
    expect(await api.prisma.organization.count({ where: { name: 'Machine Org' } })).toBe(0);
  });

  it('creating and revoking an API key are audited, with who did it', async () => {
    const owner = await signUp('audit-keys@orgs.test', 'Audit Keys');
    const created = ok<{ apiKey: { id: string; prefix: string } }>(
      await gql(
        'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { apiKey { id prefix } } }',
        { i: { name: 'line-3 camera', role: 'INSPECTOR' } },
        owner.token,
      ),
      'createApiKey',
    );
    ok(
      await gql(
        'mutation($id: ID!) { revokeApiKey(id: $id) { id } }',
        { id: created.apiKey.id },
        owner.token,
      ),
      'revokeApiKey',
    );
    // Revoking again changes nothing and records nothing.
    ok(
      await gql(
        'mutation($id: ID!) { revokeApiKey(id: $id) { id } }',
        { id: created.apiKey.id },
        owner.token,
      ),
      'revokeApiKey',
    );
    const events = await api.prisma.auditEvent.findMany({
      where: { targetId: created.apiKey.id },
      orderBy: { createdAt: 'asc' },
    });
    expect(events.map((e) => e.action)).toEqual(['api_key.create', 'api_key.revoke']);
    expect(events.every((e) => e.actorLabel === 'audit-keys@orgs.test')).toBe(true);
    expect(events[0]!.data).toMatchObject({ name: 'line-3 camera', role: 'INSPECTOR' });
  });

  it('only an OWNER renames the active organization; renames are audited', async () => {
    const owner = await signUp('rename@orgs.test', 'Old Name');
    const admin = await signUp('rename-admin@orgs.test', 'Admin Home');
    ok(await gql(ADD, { i: { email: admin.email, role: 'ADMIN' } }, owner.token), 'addMember');
    await switchTo(admin, owner.organizationId);

    const UPDATE =
      'mutation($i: UpdateOrganizationInput!) { updateOrganization(input: $i) { id name } }';
    expect(code(await gql(UPDATE, { i: { name: 'Hijacked' } }, admin.token))).toBe('FORBIDDEN');
    expect(code(await gql(UPDATE, { i: { name: ' ' } }, owner.token))).toBe('BAD_USER_INPUT');
    const renamed = await gql(UPDATE, { i: { name: 'New Name' } }, owner.token);
    expect(ok(renamed, 'updateOrganization')).toEqual({
      id: owner.organizationId,
      name: 'New Name',
    });
    expect(ok(await gql('{ organization { name } }', {}, admin.token), 'organization')).toEqual({
      name: 'New Name',
    });
    expect(await auditActions(owner.organizationId)).toEqual(['member.add', 'organization.update']);
  });
});

describe('members and roles', () => {
  let owner: Account;
  let admin: Account;
  let engineer: Account;
  let inspector: Account;
  let viewer: Account;
  let outsider: Account;

  beforeAll(async () => {
    owner = await signUp('owner@members.test', 'Members Inc');
    admin = await signUp('admin@members.test', 'Admin Home');
    engineer = await signUp('engineer@members.test', 'Engineer Home');
    inspector = await signUp('inspector@members.test', 'Inspector Home');
    viewer = await signUp('viewer@members.test', 'Viewer Home');
    outsider = await signUp('outsider@members.test', 'Outsider Home');
    for (const [who, role] of [
      [admin, 'ADMIN'],
      [engineer, 'ENGINEER'],
      [inspector, 'INSPECTOR'],
      [viewer, 'VIEWER'],
    ] as const) {
      const added = await gql(ADD, { i: { email: who.email.toUpperCase(), role } }, owner.token);
      expect(ok<{ role: string; user: { id: string } }>(added, 'addMember')).toMatchObject({
        role,
        user: { id: who.userId, email: who.email },
      });
      await switchTo(who, owner.organizationId);
    }
  });

  it('lists members with their user and role to any member (READ)', async () => {
    const members = await allMembers(viewer.token);
    expect(members.map((m) => [m.user.email, m.role])).toEqual([
      ['viewer@members.test', 'VIEWER'],
      ['inspector@members.test', 'INSPECTOR'],
      ['engineer@members.test', 'ENGINEER'],
      ['admin@members.test', 'ADMIN'],
      ['owner@members.test', 'OWNER'],
    ]);
    expect(members[4]!.user.name).toBe('owner');
    expect(JSON.stringify(members)).not.toContain('outsider');
  });

  it('pages members with bounded sizes and opaque cursors', async () => {
    const byTwo = await allMembers(owner.token, 2);
    expect(byTwo.map((m) => m.user.email)).toEqual(
      (await allMembers(owner.token)).map((m) => m.user.email),
    );
    expect(byTwo).toHaveLength(5);
    expect(code(await gql(MEMBERS, { f: 0 }, owner.token))).toBe('BAD_USER_INPUT');
    expect(code(await gql(MEMBERS, { f: 101 }, owner.token))).toBe('BAD_USER_INPUT');
    expect(code(await gql(MEMBERS, { a: 'not-a-cursor' }, owner.token))).toBe('BAD_USER_INPUT');
    const nulCursor = Buffer.from(JSON.stringify([new Date().toISOString(), '\u0000'])).toString(
      'base64url',
    );
    expect(code(await gql(MEMBERS, { a: nulCursor }, owner.token))).toBe('BAD_USER_INPUT');
  });

  it('VIEWER, INSPECTOR and ENGINEER cannot add, change or remove members', async () => {
    for (const who of [viewer, inspector, engineer]) {
      const attempts = await Promise.all([
        gql(ADD, { i: { email: outsider.email, role: 'VIEWER' } }, who.token),
        gql(CHANGE, { i: { userId: viewer.userId, role: 'ENGINEER' } }, who.token),
        gql(REMOVE, { u: viewer.userId }, who.token),
      ]);
      for (const r of attempts) expect(code(r)).toBe('FORBIDDEN');
    }
    expect(await roleOf(owner.organizationId, outsider.userId)).toBeNull();
    expect(await roleOf(owner.organizationId, viewer.userId)).toBe('VIEWER');
  });

  it('an ADMIN cannot grant OWNER nor touch an OWNER, but manages roles up to ADMIN', async () => {
    const denied = await Promise.all([
      gql(ADD, { i: { email: outsider.email, role: 'OWNER' } }, admin.token),
      gql(CHANGE, { i: { userId: viewer.userId, role: 'OWNER' } }, admin.token),
      gql(CHANGE, { i: { userId: owner.userId, role: 'VIEWER' } }, admin.token),
      gql(REMOVE, { u: owner.userId }, admin.token),
    ]);
    for (const r of denied) expect(code(r)).toBe('FORBIDDEN');
    expect(await roleOf(owner.organizationId, owner.userId)).toBe('OWNER');
    expect(await roleOf(owner.organizationId, outsider.userId)).toBeNull();

    const promoted = await gql(
      CHANGE,
      { i: { userId: inspector.userId, role: 'ADMIN' } },
      admin.token,
    );
    expect(ok(promoted, 'changeMemberRole')).toEqual({
      role: 'ADMIN',
      user: { email: inspector.email },
    });
    // The new role applies at once: the promoted inspector now manages members.
    const back = await gql(
      CHANGE,
      { i: { userId: inspector.userId, role: 'INSPECTOR' } },
      inspector.token,
    );
    expect(ok(back, 'changeMemberRole')).toMatchObject({ role: 'INSPECTOR' });
    expect(
      code(await gql(CHANGE, { i: { userId: viewer.userId, role: 'ADMIN' } }, inspector.token)),
    ).toBe('FORBIDDEN');
  });

  it('rejects bad input with typed client errors', async () => {
    const cases: [Gql, string][] = [
      [
        await gql(ADD, { i: { email: 'nobody@members.test', role: 'VIEWER' } }, owner.token),
        'NOT_FOUND',
      ],
      [
        await gql(ADD, { i: { email: 'not an email', role: 'VIEWER' } }, owner.token),
        'BAD_USER_INPUT',
      ],
      [await gql(ADD, { i: { email: viewer.email, role: 'VIEWER' } }, owner.token), 'CONFLICT'],
      [
        await gql(ADD, { i: { email: outsider.email, role: 'KING' } }, owner.token),
        'BAD_USER_INPUT',
      ],
      [
        await gql(CHANGE, { i: { userId: "'; DROP TABLE x; --", role: 'VIEWER' } }, owner.token),
        'NOT_FOUND',
      ],
      [await gql(REMOVE, { u: '' }, owner.token), 'NOT_FOUND'],
      [await gql(REMOVE, { u: 'x\u0000' }, owner.token), 'BAD_USER_INPUT'],
      [
        await gql(CHANGE, { i: { userId: '\u0000', role: 'VIEWER' } }, owner.token),
        'BAD_USER_INPUT',
      ],
      [
        await gql(ADD, { i: { email: 'a\u0000@members.test', role: 'VIEWER' } }, owner.token),
        'BAD_USER_INPUT',
      ],
      [
        await gql(
          'mutation($i: UpdateOrganizationInput!) { updateOrganization(input: $i) { id } }',
          { i: { name: 'Bad\u0000Name' } },
          owner.token,
        ),
        'BAD_USER_INPUT',
      ],
      [
        await gql(
          'mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { id } }',
          { i: { name: '\u0000' } },
          owner.token,
        ),
        'BAD_USER_INPUT',
      ],
      [await gql(REMOVE, { u: '0'.repeat(5000) }, owner.token), 'NOT_FOUND'],
    ];
    for (const [r, expected] of cases) {
      expect(code(r)).toBe(expected);
      expect(code(r)).not.toBe('INTERNAL_SERVER_ERROR');
    }
  });

  it('never leaves an organization without an OWNER', async () => {
    const solo = await signUp('solo@members.test', 'Solo Org');
    const helper = await signUp('helper@members.test', 'Helper Home');
    expect(code(await gql(CHANGE, { i: { userId: solo.userId, role: 'ADMIN' } }, solo.token))).toBe(
      'CONFLICT',
    );
    expect(code(await gql(REMOVE, { u: solo.userId }, solo.token))).toBe('CONFLICT');
    expect(await roleOf(solo.organizationId, solo.userId)).toBe('OWNER');

    // With a second OWNER the first may step down, and the second is then the last.
    ok(await gql(ADD, { i: { email: helper.email, role: 'OWNER' } }, solo.token), 'addMember');
    await switchTo(helper, solo.organizationId);
    const stepDown = await gql(CHANGE, { i: { userId: solo.userId, role: 'ADMIN' } }, solo.token);
    expect(ok(stepDown, 'changeMemberRole')).toMatchObject({ role: 'ADMIN' });
    expect(code(await gql(REMOVE, { u: helper.userId }, helper.token))).toBe('CONFLICT');
    expect(code(await gql(REMOVE, { u: helper.userId }, solo.token))).toBe('FORBIDDEN');

    // Two owners demoting each other at once: one wins, one OWNER remains.
    ok(
      await gql(CHANGE, { i: { userId: solo.userId, role: 'OWNER' } }, helper.token),
      'changeMemberRole',
    );
    const race = await Promise.all([
      gql(CHANGE, { i: { userId: helper.userId, role: 'ADMIN' } }, solo.token),
      gql(CHANGE, { i: { userId: solo.userId, role: 'ADMIN' } }, helper.token),
    ]);
    expect(race.filter((r) => !r.errors)).toHaveLength(1);
    for (const r of race.filter((r) => r.errors))
      expect(['CONFLICT', 'FORBIDDEN']).toContain(code(r));
    expect(
      await api.prisma.membership.count({
        where: { organizationId: solo.organizationId, role: 'OWNER' },
      }),
    ).toBe(1);
  });

  it('a removed member loses access at once; every change is audited', async () => {
    const temp = await signUp('temp@members.test', 'Temp Home');
    ok(await gql(ADD, { i: { email: temp.email, role: 'ENGINEER' } }, admin.token), 'addMember');
    await switchTo(temp, owner.organizationId);
    expect(ok(await gql('{ organization { id } }', {}, temp.token), 'organization')).toEqual({
      id: owner.organizationId,
    });
    const removed = await gql(REMOVE, { u: temp.userId }, admin.token);
    expect(ok(removed, 'removeMember')).toEqual({ role: 'ENGINEER', user: { email: temp.email } });
    expect(code(await gql('{ organization { id } }', {}, temp.token))).toBe('FORBIDDEN');
    expect(code(await gql(MEMBERS, {}, temp.token))).toBe('FORBIDDEN');
    expect(code(await gql(REMOVE, { u: temp.userId }, admin.token))).toBe('NOT_FOUND');

    const events = await api.prisma.auditEvent.findMany({
      where: { organizationId: owner.organizationId, targetType: 'Membership' },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    expect(events.map((e) => e.action)).toEqual([
      'member.add',
      'member.add',
      'member.add',
      'member.add',
      'member.role_change',
      'member.role_change',
      'member.add',
      'member.remove',
    ]);
    expect(events.at(-1)).toMatchObject({
      actorType: 'USER',
      actorUserId: admin.userId,
      data: { userId: temp.userId, role: 'ENGINEER' },
    });
  });
});

describe('tenancy: members of another organization are invisible', () => {
  it('changeMemberRole and removeMember answer NOT_FOUND for a foreign member and change nothing', async () => {
    const alice = await signUp('alice@tenancy-members.test', 'Alice Gears');
    const bob = await signUp('bob@tenancy-members.test', 'Bob Bolts');
    const carol = await signUp('carol@tenancy-members.test', 'Carol Cams');
    ok(await gql(ADD, { i: { email: carol.email, role: 'ENGINEER' } }, alice.token), 'addMember');

    const attempts = await Promise.all([
      gql(CHANGE, { i: { userId: alice.userId, role: 'VIEWER' } }, bob.token),
      gql(CHANGE, { i: { userId: carol.userId, role: 'VIEWER' } }, bob.token),
      gql(REMOVE, { u: alice.userId }, bob.token),
      gql(REMOVE, { u: carol.userId }, bob.token),
    ]);
    for (const r of attempts) {
      expect(code(r)).toBe('NOT_FOUND');
      expect(JSON.stringify(r)).not.toMatch(/alice|carol|Gears/);
    }
    expect(await roleOf(alice.organizationId, alice.userId)).toBe('OWNER');
    expect(await roleOf(alice.organizationId, carol.userId)).toBe('ENGINEER');
    const bobMembers = await allMembers(bob.token);
    expect(bobMembers.map((m) => m.user.email)).toEqual([bob.email]);

    // Carol in both organizations: Bob removing her touches only his organization's membership.
    ok(await gql(ADD, { i: { email: carol.email, role: 'VIEWER' } }, bob.token), 'addMember');
    ok(await gql(REMOVE, { u: carol.userId }, bob.token), 'removeMember');
    expect(await roleOf(bob.organizationId, carol.userId)).toBeNull();
    expect(await roleOf(alice.organizationId, carol.userId)).toBe('ENGINEER');
    expect(await roleOf(carol.organizationId, carol.userId)).toBe('OWNER');
    expect((await auditActions(alice.organizationId)).filter((a) => a !== 'member.add')).toEqual(
      [],
    );
  });
});

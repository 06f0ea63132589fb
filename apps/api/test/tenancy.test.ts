import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApi, code, ok } from './helpers/api.js';

let api: TestApi;
const gql = (query: string, variables: Record<string, unknown> = {}, token?: string) =>
  api.gql(query, variables, token);
const signUp = async (email: string, org: string) => (await api.signUp(email, org)).token;
beforeAll(async () => {
  api = await TestApi.start();
});
afterAll(async () => api.close());

const CREATE = 'mutation($i: CreateProjectInput!) { createProject(input: $i) { id name } }';

describe('sign-up, sign-in, sessions', () => {
  it('signs up, signs in, rejects bad credentials and duplicates with typed codes', async () => {
    const token = await signUp('Ada@Example.com', 'Analytical Engines');
    const viewer = await gql(
      '{ viewer { user { email } role activeOrganization { name } memberships { role organization { name } } } }',
      {},
      token,
    );
    expect(viewer.data!.viewer).toEqual({
      user: { email: 'ada@example.com' },
      role: 'OWNER',
      activeOrganization: { name: 'Analytical Engines' },
      memberships: [{ role: 'OWNER', organization: { name: 'Analytical Engines' } }],
    });
    const again = await gql('mutation($i: SignUpInput!) { signUp(input: $i) { token } }', {
      i: {
        email: 'ada@example.com',
        password: 'another long one',
        name: 'A',
        organizationName: 'X',
      },
    });
    expect(code(again)).toBe('CONFLICT');
    const weak = await gql('mutation($i: SignUpInput!) { signUp(input: $i) { token } }', {
      i: { email: 'b@example.com', password: 'short', name: 'B', organizationName: 'Y' },
    });
    expect(code(weak)).toBe('BAD_USER_INPUT');
    const wrong = await gql('mutation($i: SignInInput!) { signIn(input: $i) { token } }', {
      i: { email: 'ada@example.com', password: 'not it at all' },
    });
    expect(code(wrong)).toBe('UNAUTHENTICATED');
    const right = await gql('mutation($i: SignInInput!) { signIn(input: $i) { token } }', {
      i: { email: 'ADA@example.com', password: 'correct horse battery' },
    });
    const second = (right.data!.signIn as { token: string }).token;
    expect(second).toMatch(/^pds_/);
    expect((await gql('mutation { signOut }', {}, second)).data).toEqual({ signOut: true });
    expect(code(await gql('{ viewer { role } }', {}, second))).toBe('UNAUTHENTICATED');
    expect(code(await gql('{ viewer { role } }'))).toBe('UNAUTHENTICATED');
    expect(code(await gql('{ viewer { role } }', {}, 'pds_forged'))).toBe('UNAUTHENTICATED');
  });
});

describe('tenancy: another organization is invisible', () => {
  let alice: string;
  let bob: string;
  let aliceProject: string;
  beforeAll(async () => {
    alice = await signUp('alice@factory.test', 'Alice Gears');
    bob = await signUp('bob@other.test', 'Bob Bolts');
    const created = await gql(
      CREATE,
      { i: { name: 'Gearbox line', description: 'housings' } },
      alice,
    );
    aliceProject = (created.data!.createProject as { id: string }).id;
  });

  it('every query and mutation that takes an id answers NOT_FOUND for a foreign id, and changes nothing', async () => {
    const attempts = [
      gql('query($id: ID!) { project(id: $id) { name } }', { id: aliceProject }, bob),
      gql(
        'mutation($i: UpdateProjectInput!) { updateProject(input: $i) { name } }',
        { i: { id: aliceProject, name: 'pwned' } },
        bob,
      ),
      gql('mutation($id: ID!) { deleteProject(id: $id) { name } }', { id: aliceProject }, bob),
      gql(
        'mutation($i: SwitchOrganizationInput!) { switchOrganization(input: $i) { role } }',
        { i: { organizationId: 'not-a-member-org' } },
        bob,
      ),
    ];
    for (const r of await Promise.all(attempts)) {
      expect(code(r)).toBe('NOT_FOUND');
      expect(JSON.stringify(r)).not.toMatch(/Gearbox|housings/);
    }
    const bobList = await gql('{ projects { edges { node { name } } } }', {}, bob);
    expect(bobList.data!.projects).toEqual({ edges: [] });
    const still = await gql(
      'query($id: ID!) { project(id: $id) { name description } }',
      { id: aliceProject },
      alice,
    );
    expect(still.data!.project).toEqual({ name: 'Gearbox line', description: 'housings' });
  });

  it("a foreign organization's id cannot be switched to", async () => {
    const aliceOrg = await gql('{ viewer { activeOrganization { id } } }', {}, alice);
    const orgId = (aliceOrg.data!.viewer as { activeOrganization: { id: string } })
      .activeOrganization.id;
    const r = await gql(
      'mutation($i: SwitchOrganizationInput!) { switchOrganization(input: $i) { role } }',
      { i: { organizationId: orgId } },
      bob,
    );
    expect(code(r)).toBe('NOT_FOUND');
  });

  it('malformed ids and cursors are client errors, not INTERNAL_SERVER_ERROR', async () => {
    expect(
      code(
        await gql(
          'query($id: ID!) { project(id: $id) { name } }',
          { id: "'; DROP TABLE x; --" },
          alice,
        ),
      ),
    ).toBe('NOT_FOUND');
    expect(code(await gql('{ projects(after: "garbage") { edges { cursor } } }', {}, alice))).toBe(
      'BAD_USER_INPUT',
    );
    // Out-of-range page sizes: too small is refused by the bounds, too large by the complexity limit.
    expect(code(await gql('{ projects(first: 0) { edges { cursor } } }', {}, alice))).toBe(
      'BAD_USER_INPUT',
    );
    expect(code(await gql('{ projects(first: 1000) { edges { cursor } } }', {}, alice))).toBe(
      'GRAPHQL_VALIDATION_FAILED',
    );
    expect(code(await gql(CREATE, { i: { name: '   ' } }, alice))).toBe('BAD_USER_INPUT');
    expect(code(await gql(CREATE, { i: { name: 'Gearbox line' } }, alice))).toBe('CONFLICT');
    // PostgreSQL cannot take NUL in text: refused up front, in variables and in literals.
    expect(
      code(await gql('query($id: ID!) { project(id: $id) { name } }', { id: 'a\u0000b' }, alice)),
    ).toBe('BAD_USER_INPUT');
    expect(code(await gql('{ project(id: "a\\u0000b") { name } }', {}, alice))).toBe(
      'BAD_USER_INPUT',
    );
  });
});

describe('pagination', () => {
  it('pages newest first with opaque cursors and a bounded size', async () => {
    const token = await signUp('pager@example.com', 'Pager Inc');
    for (let i = 0; i < 5; i++) await gql(CREATE, { i: { name: `P${i}` } }, token);
    const names: string[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 5; guard++) {
      const r = await gql(
        'query($a: String) { projects(first: 2, after: $a) { edges { cursor node { name } } pageInfo { hasNextPage endCursor } } }',
        { a: after },
        token,
      );
      const page = r.data!.projects as {
        edges: { node: { name: string } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
      names.push(...page.edges.map((e) => e.node.name));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(names).toEqual(['P4', 'P3', 'P2', 'P1', 'P0']);
  });
});

describe('roles and API keys', () => {
  it('a VIEWER key reads but cannot write; a revoked key is refused; roles cannot be escalated', async () => {
    const owner = await signUp('owner@keys.test', 'Keys Ltd');
    await gql(CREATE, { i: { name: 'Line 1' } }, owner);
    const created = await gql(
      'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret apiKey { id prefix role } } }',
      { i: { name: 'dashboard', role: 'VIEWER' } },
      owner,
    );
    const { secret, apiKey } = created.data!.createApiKey as {
      secret: string;
      apiKey: { id: string; prefix: string; role: string };
    };
    expect(secret).toMatch(/^pdk_/);
    expect(secret.startsWith(apiKey.prefix.replace('…', ''))).toBe(true);

    const list = await gql('{ projects { edges { node { name } } } }', {}, secret);
    expect(list.data!.projects).toEqual({ edges: [{ node: { name: 'Line 1' } }] });
    const write = await gql(CREATE, { i: { name: 'Line 2' } }, secret);
    expect(code(write)).toBe('FORBIDDEN');
    expect(code(await gql('{ apiKeys { id } }', {}, secret))).toBe('FORBIDDEN');

    // The key list never contains the secret.
    const keys = await gql('{ apiKeys { id name prefix lastUsedAt } }', {}, owner);
    expect(JSON.stringify(keys)).not.toContain(secret);
    expect((keys.data!.apiKeys as { lastUsedAt: string | null }[])[0]!.lastUsedAt).not.toBeNull();

    expect(
      (
        await gql(
          'mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }',
          { id: apiKey.id },
          owner,
        )
      ).errors,
    ).toBeUndefined();
    expect(code(await gql('{ projects { edges { cursor } } }', {}, secret))).toBe(
      'UNAUTHENTICATED',
    );

    // Another organization cannot revoke it (NOT_FOUND), and a VIEWER cannot mint keys at all.
    const other = await signUp('other@keys.test', 'Other Ltd');
    expect(
      code(
        await gql('mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: apiKey.id }, other),
      ),
    ).toBe('NOT_FOUND');
  });
});

describe('API keys cannot outlive or out-rank the people who manage them', () => {
  it('no OWNER keys, no keys minted by keys, no member management by keys, and revocation on removal', async () => {
    const owner = await signUp('boss@keys2.test', 'Keys Two');
    const adminToken = await signUp('admin@keys2.test', 'Elsewhere');
    expect(
      code(
        await gql(
          'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }',
          { i: { name: 'k', role: 'OWNER' } },
          owner,
        ),
      ),
    ).toBe('FORBIDDEN');

    // Make the second user an ADMIN of the first organization, acting there.
    const orgId = (
      (await gql('{ viewer { activeOrganization { id } } }', {}, owner)).data!.viewer as {
        activeOrganization: { id: string };
      }
    ).activeOrganization.id;
    expect(
      (
        await gql(
          'mutation($i: AddMemberInput!) { addMember(input: $i) { role } }',
          { i: { email: 'admin@keys2.test', role: 'ADMIN' } },
          owner,
        )
      ).errors,
    ).toBeUndefined();
    expect(
      (
        await gql(
          'mutation($i: SwitchOrganizationInput!) { switchOrganization(input: $i) { role } }',
          { i: { organizationId: orgId } },
          adminToken,
        )
      ).errors,
    ).toBeUndefined();
    const created = await gql(
      'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }',
      { i: { name: 'admin key', role: 'ADMIN' } },
      adminToken,
    );
    const secret = (created.data!.createApiKey as { secret: string }).secret;

    // The key can read members but cannot manage them or mint keys.
    expect(
      (await gql('{ members { edges { node { role } } } }', {}, secret)).errors,
    ).toBeUndefined();
    expect(
      code(
        await gql(
          'mutation($i: AddMemberInput!) { addMember(input: $i) { role } }',
          { i: { email: 'boss@keys2.test', role: 'VIEWER' } },
          secret,
        ),
      ),
    ).toBe('FORBIDDEN');
    expect(
      code(
        await gql(
          'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }',
          { i: { name: 'k2', role: 'VIEWER' } },
          secret,
        ),
      ),
    ).toBe('FORBIDDEN');

    // Removing the admin revokes the keys they created.
    const adminId = (
      (await gql('{ viewer { user { id } } }', {}, adminToken)).data!.viewer as {
        user: { id: string };
      }
    ).user.id;
    expect(
      (await gql('mutation($u: ID!) { removeMember(userId: $u) { role } }', { u: adminId }, owner))
        .errors,
    ).toBeUndefined();
    expect(code(await gql('{ members { edges { node { role } } } }', {}, secret))).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('sign-up email validation is linear: a 100 kB hostile email is refused at once', async () => {
    const email = `a@${'a.'.repeat(50_000)}@`;
    const r = await gql('mutation($i: SignUpInput!) { signUp(input: $i) { token } }', {
      i: { email, password: 'correct horse battery', name: 'x', organizationName: 'y' },
    });
    expect(code(r)).toBe('BAD_USER_INPUT');
  });
});

describe('webhooks cannot target private networks by default', () => {
  it('refuses loopback and metadata addresses with BAD_USER_INPUT, accepts a public URL', async () => {
    const admin = await signUp('hooks@ssrf.test', 'SSRF Inc');
    const create = (url: string) =>
      gql(
        'mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { webhook { url } } }',
        { i: { url, events: ['INSPECTION_FLAGGED'] } },
        admin,
      );
    for (const url of [
      'http://127.0.0.1:5432/',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/',
      'http://localhost:4000/graphql',
    ]) {
      expect(code(await create(url)), url).toBe('BAD_USER_INPUT');
    }
    expect((await create('https://hooks.example.com/padim')).errors).toBeUndefined();
  });
});

describe('tenancy: keys, members and the audit log of another organization are out of reach', () => {
  it('answers NOT_FOUND for foreign keys and members, lists nothing foreign, changes nothing', async () => {
    const alice = await api.signUp('alice@keys-tenancy.test', 'Alice Keys');
    const bob = await api.signUp('bob@keys-tenancy.test', 'Bob Keys');
    const { secret, apiKey } = ok<{ secret: string; apiKey: { id: string } }>(
      await gql(
        'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret apiKey { id } } }',
        { i: { name: 'line camera', role: 'VIEWER' } },
        alice.token,
      ),
      'createApiKey',
    );
    const attempts = await Promise.all([
      gql('mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: apiKey.id }, bob.token),
      gql('mutation($u: ID!) { removeMember(userId: $u) { id } }', { u: alice.userId }, bob.token),
      gql(
        'mutation($i: ChangeMemberRoleInput!) { changeMemberRole(input: $i) { id } }',
        { i: { userId: alice.userId, role: 'VIEWER' } },
        bob.token,
      ),
    ]);
    for (const r of attempts) expect(code(r)).toBe('NOT_FOUND');
    // Bob's lists hold only Bob's rows.
    expect(ok(await gql('{ apiKeys { id } }', {}, bob.token), 'apiKeys')).toEqual([]);
    const members = ok<{ edges: { node: { user: { id: string } } }[] }>(
      await gql('{ members { edges { node { user { id } } } } }', {}, bob.token),
      'members',
    );
    expect(members.edges.map((e) => e.node.user.id)).toEqual([bob.userId]);
    const events = ok<{ edges: unknown[] }>(
      await gql(
        'query($f: AuditEventFilter) { auditEvents(filter: $f) { edges { cursor } } }',
        { f: { targetId: apiKey.id } },
        bob.token,
      ),
      'auditEvents',
    );
    expect(events.edges).toEqual([]);
    // Alice's key and membership are untouched.
    expect((await gql('{ projects { edges { cursor } } }', {}, secret)).errors).toBeUndefined();
    const key = await api.prisma.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
    expect(key.revokedAt).toBeNull();
    expect(
      await api.prisma.membership.findFirst({
        where: { organizationId: alice.organizationId, userId: alice.userId },
        select: { role: true },
      }),
    ).toEqual({ role: 'OWNER' });
  });
});

import type { INestApplication } from '@nestjs/common';
import type { PrismaClient, Role } from '@padim/db';
import { expect } from 'vitest';
import { createApp } from '../../src/main.js';
import { testConfig } from './config.js';
import { freshPostgres } from './database.js';

export type Gql = {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string; reason?: string } }[];
};

export interface Account {
  token: string;
  organizationId: string;
  userId: string;
  email: string;
}

export const code = (r: Gql) => r.errors?.[0]?.extensions?.code;

export function ok<T>(r: Gql, field: string): T {
  expect(r.errors).toBeUndefined();
  return r.data![field] as T;
}

/** The API on a fresh PostgreSQL database, over real HTTP on loopback, for one test file. */
export class TestApi {
  private constructor(
    readonly db: Awaited<ReturnType<typeof freshPostgres>>,
    readonly app: INestApplication,
    readonly url: string,
  ) {}

  static async start(
    env: Record<string, string> = {},
    options: Omit<Parameters<typeof createApp>[0], 'config' | 'database'> = {},
  ): Promise<TestApi> {
    const db = await freshPostgres();
    const app = await createApp({ config: testConfig(env), database: db.database, ...options });
    await app.listen(0, '127.0.0.1');
    return new TestApi(db, app, await app.getUrl());
  }

  get prisma(): PrismaClient {
    return this.db.database.prisma;
  }

  async gql(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<Gql> {
    const res = await fetch(`${this.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as Gql;
  }

  /**
   * A real GraphQL multipart request (spec: operations, map, files) with the preflight header. Each
   * file names the variable path it fills, e.g. `variables.image` or `variables.images.0`.
   */
  async multipart(
    token: string,
    query: string,
    variables: Record<string, unknown>,
    files: { path: string; name: string; body: Uint8Array; type?: string }[],
  ): Promise<{ status: number; body: Gql }> {
    const form = new FormData();
    form.append('operations', JSON.stringify({ query, variables }));
    form.append(
      'map',
      JSON.stringify(Object.fromEntries(files.map((f, i) => [String(i), [f.path]]))),
    );
    files.forEach((f, i) =>
      form.append(String(i), new Blob([f.body], { type: f.type ?? 'image/png' }), f.name),
    );
    const res = await fetch(`${this.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' },
      body: form,
    });
    return { status: res.status, body: (await res.json()) as Gql };
  }

  /**
   * A product model with an empty dataset (and a new project unless one is given), over GraphQL.
   */
  async seedProductModel(
    token: string,
    names: { project?: string; projectId?: string; product: string; dataset: string },
  ): Promise<{ projectId: string; productModelId: string; datasetId: string }> {
    const projectId =
      names.projectId ??
      ok<{ id: string }>(
        await this.gql(
          'mutation($i: CreateProjectInput!) { createProject(input: $i) { id } }',
          { i: { name: names.project ?? 'Line 1' } },
          token,
        ),
        'createProject',
      ).id;
    const productModelId = ok<{ id: string }>(
      await this.gql(
        'mutation($i: CreateProductModelInput!) { createProductModel(input: $i) { id } }',
        { i: { projectId, name: names.product } },
        token,
      ),
      'createProductModel',
    ).id;
    const datasetId = ok<{ id: string }>(
      await this.gql(
        'mutation($i: CreateDatasetInput!) { createDataset(input: $i) { id } }',
        { i: { productModelId, name: names.dataset } },
        token,
      ),
      'createDataset',
    ).id;
    return { projectId, productModelId, datasetId };
  }

  /** Uploads images to a dataset, MULTIPART_MAX_FILES (20) per request; every one must be taken. */
  async uploadImages(
    token: string,
    datasetId: string,
    images: Uint8Array[],
    label?: 'GOOD' | 'DEFECT',
  ): Promise<void> {
    for (let start = 0; start < images.length; start += 20) {
      const chunk = images.slice(start, start + 20);
      const { body } = await this.multipart(
        token,
        'mutation($d: ID!, $f: [Upload!]!, $l: ImageLabel) { uploadImages(datasetId: $d, files: $f, label: $l) { ok error { code } } }',
        { d: datasetId, f: chunk.map(() => null), l: label ?? null },
        chunk.map((b, i) => ({ path: `variables.f.${i}`, name: `img-${start + i}.png`, body: b })),
      );
      const results = ok<{ ok: boolean }[]>(body, 'uploadImages');
      expect(results.every((r) => r.ok)).toBe(true);
    }
  }

  async signUp(email: string, org: string): Promise<Account> {
    const r = await this.gql(
      'mutation($i: SignUpInput!) { signUp(input: $i) { token user { id } } }',
      {
        i: {
          email,
          password: 'correct horse battery',
          name: email.split('@')[0],
          organizationName: org,
        },
      },
    );
    const { token, user } = ok<{ token: string; user: { id: string } }>(r, 'signUp');
    const v = await this.gql('{ viewer { activeOrganization { id } } }', {}, token);
    const viewer = ok<{ activeOrganization: { id: string } }>(v, 'viewer');
    return { token, organizationId: viewer.activeOrganization.id, userId: user.id, email };
  }

  /** A new user with `role` in `owner`'s organization, acting in it (membership seeded directly). */
  async member(owner: Account, email: string, role: Role): Promise<Account> {
    const account = await this.signUp(email, `${email} home`);
    await this.prisma.membership.create({
      data: { organizationId: owner.organizationId, userId: account.userId, role },
    });
    ok(
      await this.gql(
        'mutation($i: SwitchOrganizationInput!) { switchOrganization(input: $i) { role } }',
        { i: { organizationId: owner.organizationId } },
        account.token,
      ),
      'switchOrganization',
    );
    return { ...account, organizationId: owner.organizationId };
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.db.drop();
  }
}

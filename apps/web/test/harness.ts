/**
 * The whole product for browser tests: a fresh PostgreSQL database, the real API process (built
 * apps/api/dist, embedded worker and in-process queue, filesystem object store in a temporary
 * folder), the real dashboard (`next start` on a production build), and Debian's Chromium driven by
 * playwright-core. Seeding helpers talk GraphQL to the API directly, so a test spends its browser
 * time on what it checks.
 *
 *   const stack = await startStack({ distDir: '.next-review' });   // own build folder: no collisions
 *   const page = await stack.newPage();
 *   const account = await stack.signUpViaUi(page, 'ada@example.com');
 *   ...
 *   await stack.screenshot(page, 'review-queue');                   // apps/web/test-artifacts/
 *   await stack.close();
 *
 * Needs `npm run build` (apps/api/dist and the packages it uses); CI's `npm test` builds first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshPostgres, type FreshPostgres } from '@padim/db/testing';
import { encodePng, synthImage, type DefectKind } from '@padim/inference';
import { chromium, type Browser, type Page } from 'playwright-core';

const WEB_DIR = fileURLToPath(new URL('..', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const API_MAIN = join(ROOT, 'apps/api/dist/main.js');
const NEXT_BIN = join(ROOT, 'node_modules/next/dist/bin/next');
export const ARTIFACTS = join(WEB_DIR, 'test-artifacts');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const PASSWORD = 'correct horse battery';

export interface Gql {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export interface Account {
  readonly email: string;
  readonly token: string;
}

export interface StackOptions {
  /**
   * Next's build folder, relative to apps/web. '.next' (the default) is what `npm run build`
   * makes and is built here only when missing; any other folder is built afresh by the harness.
   */
  readonly distDir?: string;
  /** Extra environment of the API process. */
  readonly apiEnv?: Record<string, string>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function run(
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string | undefined> },
): { child: ChildProcess; output: () => string } {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (c: Buffer) => {
    output = (output + c.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { child, output: () => output };
}

async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  ms: number,
  what: () => string,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Synthetic 64 px parts (textured, optionally with a defect), PNG-encoded. */
export async function partPng(seed: number, defect?: DefectKind, size = 64): Promise<Buffer> {
  const img = synthImage(size, seed, defect);
  return Buffer.from(await encodePng(img.rgb, img.width, img.height));
}

export class Stack {
  private constructor(
    readonly db: FreshPostgres,
    readonly apiUrl: string,
    readonly webUrl: string,
    readonly browser: Browser,
    private readonly children: ChildProcess[],
  ) {}

  static async start(options: StackOptions = {}): Promise<Stack> {
    if (!existsSync(API_MAIN))
      throw new Error(`${API_MAIN} is missing: run \`npm run build\` at the repository root first`);
    // CI builds the dashboard once (`npm test` runs `next build` first): every file uses that.
    const distDir = process.env.CI ? '.next' : (options.distDir ?? '.next');
    const baseEnv = {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: '1',
      NEXT_DIST_DIR: distDir,
    };
    const children: ChildProcess[] = [];
    const db = await freshPostgres('padim_web');
    try {
      const apiPort = await freePort();
      const dataDir = mkdtempSync(join(tmpdir(), 'padim-web-api-'));
      const api = run(process.execPath, [API_MAIN], {
        cwd: join(ROOT, 'apps/api'),
        env: {
          ...baseEnv,
          NODE_ENV: 'production',
          HOST: '127.0.0.1',
          PORT: String(apiPort),
          DATABASE_KIND: 'postgres',
          DATABASE_URL: db.url,
          DATA_DIR: dataDir,
          PADIM_CACHE_DIR: join(dataDir, 'cache'),
          INSPECT_SYNC_TIMEOUT_MS: '60000',
          REDIS_URL: undefined,
          ...options.apiEnv,
        },
      });
      children.push(api.child);
      const apiUrl = `http://127.0.0.1:${apiPort}`;
      await waitFor(
        () => {
          if (api.child.exitCode !== null) throw new Error(`the API exited:\n${api.output()}`);
          return api.output().includes('API listening') ? true : undefined;
        },
        120_000,
        () => `the API (${api.output()})`,
      );

      const buildId = join(WEB_DIR, distDir, 'BUILD_ID');
      if (distDir !== '.next' || !existsSync(buildId)) {
        const build = run(process.execPath, [NEXT_BIN, 'build'], { cwd: WEB_DIR, env: baseEnv });
        const code = await new Promise<number | null>((r) => build.child.once('exit', r));
        if (code !== 0) throw new Error(`next build failed:\n${build.output()}`);
      }
      const webPort = await freePort();
      const web = run(
        process.execPath,
        [NEXT_BIN, 'start', '-p', String(webPort), '-H', '127.0.0.1'],
        { cwd: WEB_DIR, env: { ...baseEnv, NODE_ENV: 'production', PADIM_API_URL: apiUrl } },
      );
      children.push(web.child);
      const webUrl = `http://127.0.0.1:${webPort}`;
      await waitFor(
        async () => {
          if (web.child.exitCode !== null) throw new Error(`next start exited:\n${web.output()}`);
          try {
            const res = await fetch(`${webUrl}/sign-in`);
            return res.status === 200 ? true : undefined;
          } catch {
            return undefined;
          }
        },
        60_000,
        () => `the dashboard (${web.output()})`,
      );
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--disable-dev-shm-usage',
        ],
      });
      return new Stack(db, apiUrl, webUrl, browser, children);
    } catch (error) {
      await Promise.all(children.map((c) => stop(c)));
      await db.drop();
      throw error;
    }
  }

  /** A fresh browser context (own cookies) at 1280x800, or the given viewport (e.g. a tablet). */
  async newPage(viewport = { width: 1280, height: 800 }): Promise<Page> {
    const context = await this.browser.newContext({ viewport, baseURL: this.webUrl });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    return page;
  }

  /** Signs up through the dashboard's form; the page ends on the overview, signed in. */
  async signUpViaUi(page: Page, email: string, organization = 'Gears Inc'): Promise<Account> {
    await page.goto('/sign-up');
    await page.getByLabel('Your name').fill(email.split('@')[0]!);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByLabel('Organization').fill(organization);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    return { email, token: await this.tokenOf(page) };
  }

  /** Signs up over GraphQL (no browser) and returns the session token. */
  async signUp(email: string, organization = 'Gears Inc'): Promise<Account> {
    const r = await this.gql(null, 'mutation($i: SignUpInput!) { signUp(input: $i) { token } }', {
      i: { email, password: PASSWORD, name: email.split('@')[0], organizationName: organization },
    });
    return { email, token: (r.signUp as { token: string }).token };
  }

  /** Signs a browser context in with an existing account's token (sets the session cookie). */
  async signInPage(page: Page, account: Account): Promise<void> {
    const url = new URL(this.webUrl);
    await page.context().addCookies([
      {
        name: 'padim_token',
        value: account.token,
        domain: url.hostname,
        path: '/',
        httpOnly: true,
        sameSite: 'Lax',
      },
    ]);
  }

  async tokenOf(page: Page): Promise<string> {
    const cookie = (await page.context().cookies()).find((c) => c.name === 'padim_token');
    if (!cookie) throw new Error('no session cookie: is the page signed in?');
    return cookie.value;
  }

  /** GraphQL against the API directly; throws on errors. */
  async gql(
    token: string | null,
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<Record<string, unknown>> {
    const body = await this.gqlRaw(token, query, variables);
    if (body.errors?.length)
      throw new Error(`GraphQL: ${body.errors.map((e) => e.message).join('; ')}`);
    return body.data!;
  }

  async gqlRaw(
    token: string | null,
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<Gql> {
    const res = await fetch(`${this.apiUrl}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as Gql;
  }

  /** A GraphQL multipart request; `files` fill the given variable paths. */
  async multipart(
    token: string,
    query: string,
    variables: Record<string, unknown>,
    files: { path: string; name: string; body: Uint8Array }[],
  ): Promise<Record<string, unknown>> {
    const form = new FormData();
    form.append('operations', JSON.stringify({ query, variables }));
    form.append(
      'map',
      JSON.stringify(Object.fromEntries(files.map((f, i) => [String(i), [f.path]]))),
    );
    files.forEach((f, i) =>
      form.append(String(i), new Blob([Buffer.from(f.body)], { type: 'image/png' }), f.name),
    );
    const res = await fetch(`${this.apiUrl}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' },
      body: form,
    });
    const body = (await res.json()) as Gql;
    if (body.errors?.length)
      throw new Error(`GraphQL: ${body.errors.map((e) => e.message).join('; ')}`);
    return body.data!;
  }

  async createProject(token: string, name = 'Line 1'): Promise<string> {
    const r = await this.gql(
      token,
      'mutation($i: CreateProjectInput!) { createProject(input: $i) { id } }',
      {
        i: { name },
      },
    );
    return (r.createProject as { id: string }).id;
  }

  async createProductModel(token: string, projectId: string, name = 'Bracket'): Promise<string> {
    const r = await this.gql(
      token,
      'mutation($i: CreateProductModelInput!) { createProductModel(input: $i) { id } }',
      { i: { projectId, name } },
    );
    return (r.createProductModel as { id: string }).id;
  }

  async createDataset(token: string, productModelId: string, name = 'good parts'): Promise<string> {
    const r = await this.gql(
      token,
      'mutation($i: CreateDatasetInput!) { createDataset(input: $i) { id } }',
      { i: { productModelId, name } },
    );
    return (r.createDataset as { id: string }).id;
  }

  /** Uploads images (20 per request) with one label. */
  async uploadImages(
    token: string,
    datasetId: string,
    images: Uint8Array[],
    label: 'GOOD' | 'DEFECT' | 'UNKNOWN' = 'GOOD',
  ): Promise<void> {
    for (let start = 0; start < images.length; start += 20) {
      const chunk = images.slice(start, start + 20);
      const r = await this.multipart(
        token,
        'mutation($d: ID!, $f: [Upload!]!, $l: ImageLabel) { uploadImages(datasetId: $d, files: $f, label: $l) { ok error { code } } }',
        { d: datasetId, f: chunk.map(() => null), l: label },
        chunk.map((body, i) => ({ path: `variables.f.${i}`, name: `img-${start + i}.png`, body })),
      );
      const results = r.uploadImages as { ok: boolean; error: { code: string } | null }[];
      const bad = results.filter((x) => !x.ok);
      if (bad.length) throw new Error(`upload refused: ${JSON.stringify(bad)}`);
    }
  }

  /**
   * Trains a version with the seeded random-init backbone (small d: fast) and waits until it is
   * READY; returns the version id.
   */
  async train(
    token: string,
    productModelId: string,
    datasetId: string,
    options: { d?: number; holdoutFraction?: number } = {},
  ): Promise<string> {
    const r = await this.gql(
      token,
      'mutation($i: TrainModelInput!) { trainModel(input: $i) { modelVersionId } }',
      {
        i: {
          productModelId,
          datasetId,
          weights: 'RANDOM_INIT',
          d: options.d ?? 32,
          holdoutFraction: options.holdoutFraction ?? 0.2,
        },
      },
    );
    const versionId = (r.trainModel as { modelVersionId: string }).modelVersionId;
    await waitFor(
      async () => {
        const v = await this.gql(token, 'query($id: ID!) { modelVersion(id: $id) { status } }', {
          id: versionId,
        });
        const status = (v.modelVersion as { status: string }).status;
        if (status === 'FAILED') throw new Error('training failed');
        return status === 'READY' ? true : undefined;
      },
      180_000,
      () => `version ${versionId} to be READY`,
    );
    return versionId;
  }

  /** Inspects one image and waits for the result. */
  async inspect(
    token: string,
    productModelId: string,
    image: Uint8Array,
    source = 'test',
  ): Promise<{ id: string; status: string; score: number; verdict: string | null }> {
    const r = await this.multipart(
      token,
      'mutation($p: ID!, $i: Upload!, $s: String) { inspectImage(productModelId: $p, image: $i, source: $s) { id status score verdict } }',
      { p: productModelId, i: null, s: source },
      [{ path: 'variables.i', name: `${source}.png`, body: image }],
    );
    return r.inspectImage as { id: string; status: string; score: number; verdict: string | null };
  }

  /**
   * A trained product model with a dataset of good parts: the usual starting point. Returns ids.
   */
  async seedTrainedModel(
    token: string,
    options: { images?: number; project?: string; product?: string } = {},
  ): Promise<{ projectId: string; productModelId: string; datasetId: string; versionId: string }> {
    const projectId = await this.createProject(token, options.project ?? 'Line 1');
    const productModelId = await this.createProductModel(
      token,
      projectId,
      options.product ?? 'Bracket',
    );
    const datasetId = await this.createDataset(token, productModelId);
    const images = await Promise.all(
      Array.from({ length: options.images ?? 12 }, (_, i) => partPng(100 + i)),
    );
    await this.uploadImages(token, datasetId, images);
    const versionId = await this.train(token, productModelId, datasetId);
    return { projectId, productModelId, datasetId, versionId };
  }

  /** Saves a PNG screenshot under apps/web/test-artifacts/ (CI keeps that folder). */
  async screenshot(page: Page, name: string): Promise<string> {
    mkdirSync(ARTIFACTS, { recursive: true });
    const path = join(ARTIFACTS, `${name}.png`);
    await page.screenshot({ path, fullPage: true });
    return path;
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    await Promise.all(this.children.map((c) => stop(c)));
    await this.db.drop();
  }
}

export const startStack = (options: StackOptions = {}): Promise<Stack> => Stack.start(options);

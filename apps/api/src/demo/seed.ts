/**
 * The demo of `npm start`: on the first start of a data directory, an organization with a product
 * model whose images come from the procedural generator, a trained model version and a batch of
 * inspections (some flagged), created through the running API's GraphQL like any client would.
 * The credentials are kept in DATA_DIR/demo.json so a second start reuses (and prints) them.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DEFECT_KINDS,
  PRETRAINED_WEIGHTS,
  defaultCacheDir,
  encodePng,
  ensurePretrainedWeights,
  pretrainedWeightsPath,
  synthImage,
} from '@padim/inference';

export const DEMO_FILE = 'demo.json';
const SIZE = 128;
const TRAIN_IMAGES = 40;

export interface DemoAccount {
  /** 'seeding' until the demo is complete: an interrupted seed resumes on the next start. */
  readonly status?: 'seeding' | 'ready';
  readonly email: string;
  readonly password: string;
  readonly organization: string;
  readonly productModelId?: string;
  readonly weights?: 'IMAGENET' | 'RANDOM_INIT';
}

export interface SeedOptions {
  readonly apiUrl: string;
  readonly dataDir: string;
  readonly log?: (line: string) => void;
  /** How long to try downloading the ImageNet weights before using random-init. */
  readonly downloadTimeoutMs?: number;
}

interface Gql {
  data?: Record<string, unknown> | null;
  errors?: { message: string }[];
}

class Client {
  constructor(
    private readonly url: string,
    private token: string | null = null,
  ) {}

  use(token: string): void {
    this.token = token;
  }

  async gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const res = await fetch(`${this.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return this.data<T>((await res.json()) as Gql);
  }

  async upload<T>(
    query: string,
    variables: Record<string, unknown>,
    files: { path: string; name: string; body: Uint8Array }[],
  ): Promise<T> {
    const form = new FormData();
    form.append('operations', JSON.stringify({ query, variables }));
    form.append(
      'map',
      JSON.stringify(Object.fromEntries(files.map((f, i) => [String(i), [f.path]]))),
    );
    files.forEach((f, i) =>
      form.append(String(i), new Blob([f.body], { type: 'image/png' }), f.name),
    );
    const res = await fetch(`${this.url}/graphql`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${this.token ?? ''}`,
        'apollo-require-preflight': 'true',
      },
      body: form,
    });
    return this.data<T>((await res.json()) as Gql);
  }

  private data<T>(body: Gql): T {
    if (body.errors?.length)
      throw new Error(`demo seed: ${body.errors.map((e) => e.message).join('; ')}`);
    return body.data as T;
  }
}

async function png(seed: number, defect?: (typeof DEFECT_KINDS)[number]): Promise<Uint8Array> {
  const img = synthImage(SIZE, seed, defect);
  return encodePng(img.rgb, img.width, img.height);
}

/**
 * The ImageNet ResNet18 when its weights are cached or can be downloaded now; otherwise the seeded
 * random-init variant, with a notice saying what real use needs.
 */
async function chooseWeights(
  log: (line: string) => void,
  timeoutMs: number,
): Promise<'IMAGENET' | 'RANDOM_INIT'> {
  const cacheDir = defaultCacheDir();
  const entry = PRETRAINED_WEIGHTS.resnet18;
  const path = pretrainedWeightsPath(cacheDir, entry);
  if (existsSync(path)) return 'IMAGENET';
  try {
    log(`downloading the ImageNet ResNet18 weights (${entry.url}) ...`);
    await ensurePretrainedWeights('resnet18', {
      cacheDir,
      fetchImpl: (url) => fetch(url, { signal: AbortSignal.timeout(timeoutMs) }),
    });
    return 'IMAGENET';
  } catch {
    log(
      [
        '',
        'NOTICE: the ImageNet ResNet18 weights are not available, so the demo model uses the seeded',
        'random-init backbone. It shows the whole product, but real inspection needs the ImageNet',
        `weights: download ${entry.url}`,
        `(sha256 ${entry.sha256}) to ${path}`,
        'and train a new version (weights: IMAGENET).',
        '',
      ].join('\n'),
    );
    return 'RANDOM_INIT';
  }
}

/**
 * The demo account of this data directory, seeding it first when there is none. Every step finds
 * what an interrupted earlier seed made (the account is recorded before it is created), so a seed
 * cut short by Ctrl-C or a failure completes on the next start.
 */
export async function seedDemo(options: SeedOptions): Promise<DemoAccount> {
  const log = options.log ?? (() => undefined);
  const file = join(options.dataDir, DEMO_FILE);
  const saved = existsSync(file)
    ? (JSON.parse(await readFile(file, 'utf8')) as DemoAccount)
    : undefined;
  if (saved && saved.status !== 'seeding') return saved;

  const api = new Client(options.apiUrl);
  const email = saved?.email ?? 'demo@padim.local';
  const password = saved?.password ?? randomBytes(9).toString('base64url');
  const organization = saved?.organization ?? 'Demo Factory';
  const save = (account: DemoAccount) =>
    writeFile(file, `${JSON.stringify(account, null, 2)}\n`, { mode: 0o600 });
  if (saved) {
    log('completing the demo (an earlier seed was interrupted) ...');
    const { signIn } = await api.gql<{ signIn: { token: string } }>(
      'mutation($i: SignInInput!) { signIn(input: $i) { token } }',
      { i: { email, password } },
    );
    api.use(signIn.token);
  } else {
    log('seeding the demo (first start of this data directory) ...');
    await save({ status: 'seeding', email, password, organization });
    const { signUp } = await api.gql<{ signUp: { token: string } }>(
      'mutation($i: SignUpInput!) { signUp(input: $i) { token } }',
      { i: { email, password, name: 'Demo Inspector', organizationName: organization } },
    );
    api.use(signUp.token);
  }
  const { productModels } = await api.gql<{
    productModels: { edges: { node: { id: string; name: string } }[] };
  }>('{ productModels(first: 100) { edges { node { id name } } } }');
  let productModelId = productModels.edges.find((e) => e.node.name === 'Bracket')?.node.id;
  if (!productModelId) {
    const { createProject } = await api.gql<{ createProject: { id: string } }>(
      'mutation($i: CreateProjectInput!) { createProject(input: $i) { id } }',
      { i: { name: 'Assembly line 1', description: 'Procedural demo parts' } },
    );
    const { createProductModel } = await api.gql<{ createProductModel: { id: string } }>(
      'mutation($i: CreateProductModelInput!) { createProductModel(input: $i) { id } }',
      { i: { projectId: createProject.id, name: 'Bracket', cameraPose: 'top' } },
    );
    productModelId = createProductModel.id;
  }
  const { datasets } = await api.gql<{
    datasets: { edges: { node: { id: string; name: string } }[] };
  }>('query($p: ID!) { datasets(productModelId: $p, first: 100) { edges { node { id name } } } }', {
    p: productModelId,
  });
  const createDataset =
    datasets.edges.find((e) => e.node.name === 'Good parts')?.node ??
    (
      await api.gql<{ createDataset: { id: string } }>(
        'mutation($i: CreateDatasetInput!) { createDataset(input: $i) { id } }',
        { i: { productModelId, name: 'Good parts' } },
      )
    ).createDataset;
  const upload = async (images: Uint8Array[], label: 'GOOD' | 'DEFECT', prefix: string) => {
    for (let start = 0; start < images.length; start += 20) {
      const chunk = images.slice(start, start + 20);
      await api.upload(
        'mutation($d: ID!, $f: [Upload!]!, $l: ImageLabel) { uploadImages(datasetId: $d, files: $f, label: $l) { ok } }',
        { d: createDataset.id, f: chunk.map(() => null), l: label },
        chunk.map((body, i) => ({
          path: `variables.f.${i}`,
          name: `${prefix}-${String(start + i).padStart(3, '0')}.png`,
          body,
        })),
      );
    }
  };
  await upload(
    await Promise.all(Array.from({ length: TRAIN_IMAGES }, (_, i) => png(1000 + i))),
    'GOOD',
    'good',
  );
  // A few labelled defects: the threshold becomes F1-optimal and the model page shows AUROC.
  await upload(
    await Promise.all(DEFECT_KINDS.map((kind, i) => png(2000 + i, kind))),
    'DEFECT',
    'defect',
  );
  const weights = await chooseWeights(log, options.downloadTimeoutMs ?? 15_000);
  log(
    `training version 1 (${weights === 'IMAGENET' ? 'ImageNet ResNet18' : 'seeded random-init ResNet18'}) ...`,
  );
  const { trainModel } = await api.gql<{ trainModel: { modelVersionId: string } }>(
    'mutation($i: TrainModelInput!) { trainModel(input: $i) { modelVersionId } }',
    { i: { productModelId, datasetId: createDataset.id, weights, idempotencyKey: 'demo-v1' } },
  );
  for (let i = 0; ; i++) {
    const { modelVersion } = await api.gql<{ modelVersion: { status: string } }>(
      'query($id: ID!) { modelVersion(id: $id) { status } }',
      { id: trainModel.modelVersionId },
    );
    if (modelVersion.status === 'READY') break;
    if (modelVersion.status === 'FAILED') throw new Error('demo seed: training failed');
    if (i > 3600) throw new Error('demo seed: training did not finish within an hour');
    await new Promise((r) => setTimeout(r, 500));
  }
  const { inspections: done } = await api.gql<{ inspections: { edges: unknown[] } }>(
    'query($p: ID!) { inspections(filter: { productModelId: $p }, first: 100) { edges { cursor } } }',
    { p: productModelId },
  );
  const account: DemoAccount = {
    status: 'ready',
    email,
    password,
    organization,
    productModelId,
    weights,
  };
  if (done.edges.length > 0) {
    await save(account);
    return account;
  }
  log('inspecting a batch of parts ...');
  const batch = [
    ...(await Promise.all(Array.from({ length: 10 }, (_, i) => png(3000 + i)))),
    ...(await Promise.all(
      Array.from({ length: 8 }, (_, i) => png(4000 + i, DEFECT_KINDS[i % DEFECT_KINDS.length])),
    )),
  ];
  const { inspectImages } = await api.upload<{ inspectImages: { batchId: string } }>(
    'mutation($p: ID!, $f: [Upload!]!) { inspectImages(productModelId: $p, images: $f, source: "demo camera") { batchId } }',
    { p: productModelId, f: batch.map(() => null) },
    batch.map((body, i) => ({ path: `variables.f.${i}`, name: `part-${i}.png`, body })),
  );
  for (let i = 0; ; i++) {
    const { inspections } = await api.gql<{ inspections: { edges: unknown[] } }>(
      'query($b: ID!) { inspections(filter: { batchId: $b, status: COMPLETED }, first: 100) { edges { cursor } } }',
      { b: inspectImages.batchId },
    );
    if (inspections.edges.length === batch.length) break;
    if (i > 1200) throw new Error('demo seed: inspections did not finish');
    await new Promise((r) => setTimeout(r, 500));
  }
  await save(account);
  return account;
}

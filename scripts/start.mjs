#!/usr/bin/env node
// `npm start`: the whole product on embedded defaults, one command on a fresh machine.
//
// Builds what is missing, starts the API (embedded PGlite database, filesystem object store,
// in-process queue and the worker inside it) and the dashboard, seeds the demo on the first start
// of the data directory, and prints the dashboard URL and the demo credentials. Ctrl-C stops both.
//
// Environment: DATA_DIR (default ./.data), HOST (127.0.0.1), PORT (API, 4000), WEB_PORT (3000),
// PADIM_DEMO=false to skip the demo; every API variable of .env.example applies to the API.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const dataDir = resolve(process.env.DATA_DIR ?? join(root, '.data'));
const host = process.env.HOST ?? '127.0.0.1';
const apiPort = Number(process.env.PORT ?? 4000);
const webPort = Number(process.env.WEB_PORT ?? 3000);
const apiUrl = `http://${host}:${apiPort}`;
// What browsers use: a wildcard listen address is reached as localhost.
const publicHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
const webUrl = `http://${publicHost}:${webPort}`;
const log = (line) => process.stdout.write(`[padim] ${line}\n`);

/** Whether a port is free on the host (another `npm start` holds it while running). */
function portFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

for (const [name, port] of [
  ['PORT (API)', apiPort],
  ['WEB_PORT (dashboard)', webPort],
]) {
  if (!(await portFree(port))) {
    log(`${name} ${port} is in use (is \`npm start\` already running?); choose another port`);
    process.exit(1);
  }
}

const apiMain = join(root, 'apps/api/dist/main.js');
const webBuild = join(root, 'apps/web/.next/BUILD_ID');
if (!existsSync(apiMain) || !existsSync(webBuild) || process.env.PADIM_BUILD === 'always') {
  log('building (first start; about a minute) ...');
  const built = spawnSync('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (built.status !== 0) {
    log('the build failed');
    process.exit(1);
  }
}

const children = [];
let stopping = false;

function start(name, args, env) {
  if (stopping) return undefined;
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = (stream, out) =>
    stream.on('data', (chunk) => {
      for (const line of chunk.toString().split('\n')) if (line) out.write(`[${name}] ${line}\n`);
    });
  prefix(child.stdout, process.stdout);
  prefix(child.stderr, process.stderr);
  child.on('exit', (code, signal) => {
    if (stopping) return;
    log(`${name} stopped unexpectedly (${signal ?? `exit ${code}`}); stopping everything`);
    void shutdown(1);
  });
  children.push(child);
  return child;
}

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  log('stopping ...');
  await Promise.all(
    children.map(
      (child) =>
        new Promise((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
          child.once('exit', () => {
            clearTimeout(timer);
            done();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  log('stopped');
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

async function waitReady(url, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (stopping) return false;
    try {
      const res = await fetch(url);
      if (res.ok) return true;
    } catch {
      // not yet listening
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

start('api', [apiMain], {
  DATA_DIR: dataDir,
  HOST: host,
  PORT: String(apiPort),
  PUBLIC_URL: process.env.PUBLIC_URL ?? `http://${publicHost}:${apiPort}`,
});
if (!(await waitReady(`${apiUrl}/readyz`, 120_000))) {
  log(`the API did not become ready at ${apiUrl}/readyz`);
  await shutdown(1);
}

let demo = null;
if (process.env.PADIM_DEMO !== 'false' && !stopping) {
  try {
    const { seedDemo } = await import(pathToFileURL(join(root, 'apps/api/dist/demo/seed.js')).href);
    demo = await seedDemo({ apiUrl, dataDir, log });
  } catch (error) {
    log(`the demo could not be seeded: ${error instanceof Error ? error.message : String(error)}`);
  }
}

start(
  'web',
  [
    join(root, 'node_modules/next/dist/bin/next'),
    'start',
    join(root, 'apps/web'),
    '-p',
    String(webPort),
    '-H',
    host,
  ],
  {
    PADIM_API_URL: apiUrl,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
  },
);
if (!(await waitReady(`${webUrl}/sign-in`, 60_000))) {
  log(`the dashboard did not start at ${webUrl}`);
  await shutdown(1);
}

// Ctrl-C during start-up: the shutdown in progress exits; print nothing more.
if (stopping) await new Promise(() => {});
log('');
log(`dashboard:  ${webUrl}`);
log(`GraphQL:    ${apiUrl}/graphql`);
log(`data:       ${dataDir}`);
if (demo) {
  log(`demo login: ${demo.email} / ${demo.password}`);
  if (demo.weights === 'RANDOM_INIT')
    log('demo model: seeded random-init backbone (see the notice above for ImageNet weights)');
}
log('Ctrl-C stops everything.');

#!/usr/bin/env node
/**
 * The inference service's entry: `node apps/worker/dist/main.js` (or `padim worker`). Configured by
 * environment variables (see .env.example); stops cleanly on SIGINT / SIGTERM.
 */
import { runUntilSignalled } from './service.js';

runUntilSignalled(process.env).catch((error: unknown) => {
  process.stderr.write(`worker: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});

// Runs a TypeScript worker entry from the sources (tests and `tsx` runs only; built code starts
// the compiled .js directly). Node 20 workers do not take `--import` loaders from execArgv.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.__entry);

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';

// Prisma's schema engine compiled to WebAssembly, driven through a JS driver adapter: this is how
// migrations are created and applied offline (the CLI's `migrate` needs the native engine, which it
// downloads). The package is built for bundlers (`import * as wasm from "./x.wasm"`), which Node 20
// cannot load, so the module is instantiated here by hand against its JS glue.

export type { SchemaEngine };

/** The few WebAssembly APIs used here (TypeScript declares them only in the DOM library). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (
    module: object,
    imports: Record<string, Record<string, unknown>>,
  ) => { exports: Record<string, unknown> };
}

interface PanicRegistry {
  message: string;
  set_message(message: string): void;
}

let ready: Promise<void> | undefined;

function instantiate(): Promise<void> {
  ready ??= (async () => {
    const require = createRequire(import.meta.url);
    // The `exports` map hides the .wasm file; it sits next to the glue module.
    const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(gluePath.replace(/\.js$/, '.wasm'));
    const globals = globalThis as unknown as {
      WebAssembly: WasmApi;
      PRISMA_WASM_PANIC_REGISTRY?: PanicRegistry;
    };
    // The glue reports Rust panics through this global (the Prisma CLI installs the same one).
    globals.PRISMA_WASM_PANIC_REGISTRY ??= {
      message: '',
      set_message(message: string) {
        this.message = `RuntimeError: ${message}`;
      },
    };
    const module = new globals.WebAssembly.Module(bytes);
    const instance = new globals.WebAssembly.Instance(module, {
      './schema_engine_bg.js': glue as unknown as Record<string, unknown>,
    });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports['__wbindgen_start'] as () => void)();
  })();
  return ready;
}

export interface EngineLogLine {
  level: string;
  fields: { message?: string } & Record<string, unknown>;
}

/**
 * Opens a schema engine on a driver adapter factory. `datamodel` is the Prisma schema text when
 * the command needs one (diff to the schema, create a migration). Free the engine after use.
 */
export async function openSchemaEngine(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  options: {
    datamodel?: { path: string; content: string };
    log?: (line: EngineLogLine) => void;
  } = {},
): Promise<SchemaEngine> {
  await instantiate();
  const { datamodel, log } = options;
  return glue.SchemaEngine.new(
    { datamodels: datamodel ? [[datamodel.path, datamodel.content]] : undefined },
    (raw: string) => {
      if (!log) return;
      try {
        log(JSON.parse(raw) as EngineLogLine);
      } catch {
        log({ level: 'INFO', fields: { message: raw } });
      }
    },
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
}

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type {
  ErrorCapturingSqlMigrationAwareDriverAdapterFactory,
  ErrorRegistry,
} from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
// The `_bg` entry is the wasm-bindgen glue without the `import … from "*.wasm"` line, so loading it needs
// neither `--experimental-wasm-modules` nor a bundler; we instantiate the module ourselves below.
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';

export type { SchemaEngine } from '@prisma/schema-engine-wasm';

interface PanicRegistry {
  set_message(message: string): void;
}

declare global {
  // The wasm panic hook writes the Rust panic message here; without it a panic surfaces only as
  // "RuntimeError: unreachable".
  var PRISMA_WASM_PANIC_REGISTRY: PanicRegistry | undefined;
}

// Node has WebAssembly, but neither the repo's lib setting (ES2023, no DOM) nor @types/node 20 declare
// it; this is the little we use.
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (
    module: object,
    imports: Record<string, object>,
  ) => { exports: Record<string, unknown> & { __wbindgen_start: () => void } };
  RuntimeError: new () => Error;
}
const wasm = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

let lastPanic: string | undefined;
let loaded: Promise<void> | undefined;

function load(): Promise<void> {
  loaded ??= (async () => {
    globalThis.PRISMA_WASM_PANIC_REGISTRY ??= {
      set_message: (message) => {
        lastPanic = message;
      },
    };
    const require = createRequire(import.meta.url);
    const wasmPath = path.join(
      path.dirname(require.resolve('@prisma/schema-engine-wasm')),
      'schema_engine_bg.wasm',
    );
    const module = new wasm.Module(await readFile(wasmPath));
    // The glue's exports are exactly the import object the module was built against.
    const instance = new wasm.Instance(module, { './schema_engine_bg.js': glue });
    glue.__wbg_set_wasm(instance.exports);
    instance.exports.__wbindgen_start();
  })();
  return loaded;
}

/**
 * Makes engine failures readable. A wasm trap is rethrown with the Rust panic message; the glue keeps
 * one module instance per process and no engine call is safe after a panic, so say so. JS errors thrown
 * inside the driver adapter reach us only as "External error id#N"; the adapter's registry has them.
 */
export async function engineCall<T>(call: () => Promise<T>, errors?: ErrorRegistry): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof wasm.RuntimeError && lastPanic !== undefined) {
      throw new Error(`Prisma schema engine panicked (restart the process): ${lastPanic}`, {
        cause: error,
      });
    }
    const external = error instanceof Error ? /External error id#(\d+)/.exec(error.message) : null;
    const original = external?.[1] === undefined ? undefined : errors?.consumeError(Number(external[1]));
    if (error instanceof Error && external !== null && original !== undefined) {
      const message = original.error instanceof Error ? original.error.message : String(original.error);
      throw new Error(error.message.replace(external[0], message), { cause: original.error });
    }
    throw error;
  }
}

/**
 * Opens an engine on a driver adapter. The engine connects through the adapter at once (even for
 * diffs that never touch a database) and uses `connectToShadowDb` to replay migrations.
 */
export async function openSchemaEngine(
  adapterFactory: ErrorCapturingSqlMigrationAwareDriverAdapterFactory,
  log: (line: string) => void = () => undefined,
): Promise<SchemaEngine> {
  await load();
  return engineCall(
    () => glue.SchemaEngine.new({ datamodels: undefined }, log, adapterFactory),
    adapterFactory.errorRegistry,
  );
}

// Where a sibling module or a worker thread's entry lies, whether Keel runs compiled (dist/*.js) or from source; and
// loading a user's own module (a schema, an objective), TypeScript included where the tsx loader is installed.

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CoreErrors, KeelError } from './errors.ts';

/** True where `here` (a module's import.meta.url) is TypeScript source run through the loader, not compiled code. */
export function isSource(here: string): boolean {
  return here.endsWith('.ts');
}

/** A sibling module named by its base name: name.ts from source, name.js compiled. */
export function siblingModule(here: string, name: string): URL {
  return new URL(`./${name}${isSource(here) ? '.ts' : '.js'}`, here);
}

/**
 * The entry of a worker thread that runs `<name>-main`: compiled, that module itself; from source, the `<name>.mjs`
 * beside it, which registers the TypeScript loader in the thread first (a worker does not inherit a loader that
 * was registered at run time).
 */
export function workerEntry(here: string, name: string): URL {
  return new URL(isSource(here) ? `./${name}.mjs` : `./${name}-main.js`, here);
}

let loaderReady = isSource(import.meta.url);

/** A module URL for a path or URL, and whether it is TypeScript. */
export function moduleHref(file: string): string {
  return file.startsWith('file:') ? file : pathToFileURL(path.resolve(file)).href;
}

/**
 * Makes TypeScript modules importable in this thread: nothing to do from source (the loader runs already);
 * compiled, registers tsx where it is installed and says how to get it where not.
 */
export async function readyForTypeScript(what: string): Promise<void> {
  if (loaderReady) return;
  const loader = 'tsx/esm/api';
  try {
    const { register } = (await import(loader)) as { register: () => void };
    register();
    loaderReady = true;
  } catch {
    throw new KeelError(
      CoreErrors.MODULE_LOAD,
      `${what} is TypeScript: install tsx beside keel (npm install --save-dev tsx) or give a .js/.mjs module`,
    );
  }
}

/** Imports a user's module (path or file: URL); TypeScript through readyForTypeScript. */
export async function importUserModule(file: string): Promise<Record<string, unknown>> {
  const href = moduleHref(file);
  if (/\.[cm]?ts$/.test(href)) await readyForTypeScript(file);
  try {
    return (await import(href)) as Record<string, unknown>;
  } catch (err) {
    throw new KeelError(CoreErrors.MODULE_LOAD, `cannot load ${file}: ${(err as Error).message}`);
  }
}

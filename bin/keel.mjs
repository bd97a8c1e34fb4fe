#!/usr/bin/env node
// keel: the command-line entry; runs the compiled CLI (dist/, built by `npm run build`, which installing runs).
// KEEL_FROM_SOURCE=1 runs src/ through the TypeScript loader instead (a development checkout with tsx installed).

let main;
if (process.env.KEEL_FROM_SOURCE === '1') {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
} else {
  try {
    ({ main } = await import('../dist/cli/main.js'));
  } catch (err) {
    if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('dist')) throw err;
    process.stderr.write(
      'keel: the compiled CLI (dist/) is missing: run `npm run build` in the package folder\n',
    );
    process.exit(4);
  }
}
const code = await main(process.argv.slice(2));
if (typeof code === 'number') process.exitCode = code;

#!/usr/bin/env node
// keel: the command-line entry; registers the TypeScript loader and hands over to src/cli.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
if (typeof code === 'number') process.exitCode = code;

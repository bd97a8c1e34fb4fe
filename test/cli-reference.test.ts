// The CLI reference cannot drift: each command's help is generated from its one flag declaration (every flag it
// parses, with its meaning), the prose around the flags names only flags the command parses, and docs/cli.md is
// what `keel help --markdown` prints.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { COMMANDS, cliReference, loadCommands, main, OVERVIEW } from '../src/cli/main.ts';

/**
 * `--flag` names in a command's help text (`--no-flag` names the boolean `flag`); flags written after another
 * command's name on a line ("serve one with: keel serve --deployment <name>") are that command's.
 */
function helpFlags(command: string, help: string): Set<string> {
  const out = new Set<string>();
  for (const line of help.split('\n')) {
    const other = [...line.matchAll(/keel (\w+)/g)].find((m) => m[1] !== command && m[1] in COMMANDS);
    const own = other ? line.slice(0, other.index) : line;
    for (const m of own.matchAll(/(?<![\w-])--([a-z][a-z0-9-]*)/g)) out.add(m[1].replace(/^no-/, ''));
  }
  return out;
}

const SPECS = await loadCommands();

/** What `keel …` prints on stdout and stderr, and its exit code. */
async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('CLI reference', () => {
  for (const [name, c] of Object.entries(SPECS)) {
    it(`keel ${name}: its help names exactly the flags it parses`, () => {
      const named = helpFlags(name, c.help);
      named.delete('help');
      const parsed = new Set(Object.keys(c.flags));
      assert.deepEqual([...parsed].filter((f) => !named.has(f)).sort(), [], 'parsed but not in the help');
      assert.deepEqual([...named].filter((f) => !parsed.has(f)).sort(), [], 'in the help but not parsed');
    });
  }

  it("the README's CLI overview is what `keel help` prints", () => {
    const readme = fs.readFileSync(
      path.resolve(path.dirname(new URL(import.meta.url).pathname), '../README.md'),
      'utf8',
    );
    const block = /<!-- cli-overview[^>]*-->\n```text\n([\s\S]*?)```/.exec(readme)?.[1];
    assert.equal(
      block,
      OVERVIEW.replace(/^keel \S+ /, 'keel '),
      'paste the output of `keel help` (version word dropped)',
    );
  });

  it('docs/cli.md is the reference as `keel help --markdown` prints it', async () => {
    const doc = fs.readFileSync(
      path.resolve(path.dirname(new URL(import.meta.url).pathname), '../docs/cli.md'),
      'utf8',
    );
    assert.equal(doc, await cliReference(), 'run: node bin/keel.mjs help --markdown > docs/cli.md');
  });

  it('keel help CMD, keel CMD --help and keel CMD -h print that command only', async () => {
    for (const name of Object.keys(COMMANDS)) {
      const a = await run(['help', name]);
      const b = await run([name, '--help']);
      const c = await run([name, '-h']);
      assert.equal(a.code, 0);
      assert.equal(a.out, SPECS[name].help);
      assert.equal(b.out, a.out);
      assert.equal(c.out, a.out);
      for (const other of Object.keys(COMMANDS))
        if (other !== name)
          assert.ok(!a.out.startsWith(`keel ${other} `), `${name}'s help is not ${other}'s`);
    }
  });

  it('usage errors exit 2, unknown commands too; the reference lists the exit codes', async () => {
    assert.equal((await run(['nope'])).code, 2);
    assert.equal((await run(['help', 'nope'])).code, 2);
    const bad = await run(['train', 'x.csv', '--no-such-flag']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /CLI_USAGE.*--no-such-flag/);
    assert.match(await cliReference(), /## Exit codes[\s\S]*\| 2 \| the command line is wrong/);
  });
});

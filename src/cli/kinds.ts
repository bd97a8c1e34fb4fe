// The model kinds as the CLI's help lists them, derived from the family descriptors.

import type { FamilyDescriptor } from '../estimator/index.ts';
import { TUNABLE_KINDS } from '../flow/index.ts';
import { FAMILY_LIST } from '../models/index.ts';

/** Kinds with their short names, " | "-separated and wrapped for a help column starting at `indent`. */
function wrapKinds(list: readonly FamilyDescriptor[], indent: number, width = 112): string {
  const lines: string[] = [];
  let line = '';
  for (const d of list) {
    const w = d.aliases?.length ? `${d.kind} (${d.aliases.join(', ')})` : d.kind;
    const next = line ? `${line} | ${w}` : w;
    if (indent + next.length > width && line) {
      lines.push(`${line} |`);
      line = w;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}

/** Every supervised kind. */
export const kindsHelp = (indent: number): string => wrapKinds(FAMILY_LIST, indent);

/** The kinds `keel tune` has a default space for. */
export const tunableHelp = (indent: number): string =>
  wrapKinds(
    FAMILY_LIST.filter((d) => TUNABLE_KINDS.includes(d.kind)),
    indent,
  );

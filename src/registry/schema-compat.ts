// Input-schema compatibility between the version an alias points at and the one replacing it. The server requires
// every field of its schema and refuses unknown ones, so a removed, retyped or added column breaks callers that
// speak the old contract; promotion treats that like a failed gate (recorded with the differences; override to force).

import type { GateResult } from './gates.ts';

/** The part of a data schema this check reads (the registry does not depend on the data room). */
export interface SchemaLike {
  columns: { name: string; type: string; nullable?: boolean }[];
}

export interface SchemaDiff {
  removed: string[];
  added: string[];
  retyped: { column: string; from: string; to: string }[];
  /** became nullable: compatible (old callers never send null), listed for the record */
  relaxed: string[];
}

export function schemaDiff(from: SchemaLike, to: SchemaLike): SchemaDiff {
  const before = new Map(from.columns.map((c) => [c.name, c]));
  const after = new Map(to.columns.map((c) => [c.name, c]));
  const diff: SchemaDiff = { removed: [], added: [], retyped: [], relaxed: [] };
  for (const [name, c] of before) {
    const n = after.get(name);
    if (!n) diff.removed.push(name);
    else if (n.type !== c.type) diff.retyped.push({ column: name, from: c.type, to: n.type });
    else if (n.nullable && !c.nullable) diff.relaxed.push(name);
  }
  for (const name of after.keys()) if (!before.has(name)) diff.added.push(name);
  return diff;
}

export function schemaGateResult(from: SchemaLike, to: SchemaLike, incumbentVersion: number): GateResult {
  const d = schemaDiff(from, to);
  const problems = [
    ...d.removed.map((c) => `removed "${c}"`),
    ...d.retyped.map((r) => `"${r.column}" ${r.from} → ${r.to}`),
    ...d.added.map((c) => `added "${c}" (callers do not send it yet)`),
  ];
  return {
    gate: 'schema-compatible',
    passed: problems.length === 0,
    message:
      problems.length === 0
        ? `input schema compatible with version ${incumbentVersion}${d.relaxed.length ? ` (now nullable: ${d.relaxed.join(', ')})` : ''}`
        : `input schema differs from version ${incumbentVersion}: ${problems.join('; ')}`,
    evidence: {
      removed: d.removed.join(', ') || null,
      retyped: d.retyped.map((r) => `${r.column}: ${r.from} → ${r.to}`).join(', ') || null,
      added: d.added.join(', ') || null,
    },
  };
}

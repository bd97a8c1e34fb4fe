// Request body parsing for the model server: JSON only, prototype-pollution keys refused by secure-json-parse, and
// nesting depth bounded right after parsing with an explicit stack (V8's JSON.parse itself does not recurse, and
// nothing downstream walks a value deeper than the limit).

import sjson from 'secure-json-parse';
import { ServeErrors } from './errors.ts';

export const MAX_DEPTH = 16;

export class BodyError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** Whether a parsed value nests arrays / objects deeper than limit (iterative; stops at the first too-deep value). */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    if (d > limit) return true;
    if (Array.isArray(v)) {
      for (const x of v) if (x !== null && typeof x === 'object') stack.push([x, d + 1]);
    } else {
      for (const k in v) {
        const x = (v as Record<string, unknown>)[k];
        if (x !== null && typeof x === 'object') stack.push([x, d + 1]);
      }
    }
  }
  return false;
}

export function parseJsonBody(text: string, maxDepth = MAX_DEPTH): unknown {
  if (text.trim() === '') throw new BodyError(ServeErrors.BAD_JSON, 'the body is empty');
  let value: unknown;
  try {
    value = sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (err) {
    // a RangeError comes from the prototype scan of an absurdly deep body
    if (err instanceof RangeError)
      throw new BodyError(ServeErrors.TOO_DEEP, `the body nests deeper than ${maxDepth} levels`);
    throw new BodyError(ServeErrors.BAD_JSON, `the body is not valid JSON: ${(err as Error).message}`);
  }
  if (nestsDeeperThan(value, maxDepth)) {
    throw new BodyError(ServeErrors.TOO_DEEP, `the body nests deeper than ${maxDepth} levels`);
  }
  return value;
}

// Request body parsing for the model server: JSON only, nesting depth bounded before parsing (a deeply nested body
// cannot exhaust the stack), prototype-pollution keys refused by secure-json-parse.

import sjson from 'secure-json-parse';
import { ServeErrors } from './errors.ts';

export const MAX_DEPTH = 16;

/** The deepest nesting of arrays / objects in JSON text, counting only outside strings; stops early past limit. */
export function jsonDepth(text: string, limit = MAX_DEPTH): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}

export class BodyError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

export function parseJsonBody(text: string, maxDepth = MAX_DEPTH): unknown {
  if (text.trim() === '') throw new BodyError(ServeErrors.BAD_JSON, 'the body is empty');
  const depth = jsonDepth(text, maxDepth);
  if (depth > maxDepth)
    throw new BodyError(ServeErrors.TOO_DEEP, `the body nests deeper than ${maxDepth} levels`);
  try {
    return sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (err) {
    throw new BodyError(ServeErrors.BAD_JSON, `the body is not valid JSON: ${(err as Error).message}`);
  }
}

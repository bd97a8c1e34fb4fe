// The record scanner: splits bytes into records and fields with exact line numbers. CRLF, LF and lone CR all end a
// record; quoted fields may hold delimiters, doubled quotes and newlines; a quote that never closes properly is
// caught and only its own line is given up, so one broken row cannot swallow the rows after it.

import fs from 'node:fs';
import { TextDecoder } from 'node:util';

export const FLAG_HIGH = 1; // a byte >= 0x80 (UTF-8 must be checked)
export const FLAG_NUL = 2; // a NUL byte
export const FLAG_UNCLOSED = 4; // a quote that does not close before the line (or the file) ends
export const FLAG_EMPTY = 8; // nothing between two line ends
export const FLAG_ESCAPED = 16; // some quoted field holds a doubled quote

const CR = 0x0d;
const LF = 0x0a;

/** Field positions of the record being delivered (reused between records). */
export class Fields {
  n = 0;
  start = new Int32Array(64);
  end = new Int32Array(64);
  quoted = new Uint8Array(64);
  push(s: number, e: number, q: number): void {
    if (this.n === this.start.length) {
      const grow = <T extends Int32Array | Uint8Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.start = grow(this.start);
      this.end = grow(this.end);
      this.quoted = grow(this.quoted);
    }
    this.start[this.n] = s;
    this.end[this.n] = e;
    this.quoted[this.n] = q;
    this.n++;
  }
}

export interface Dialect {
  delimiter: number;
  /** -1 for none */
  quote: number;
}

/** Receives each record: its fields (in `f`), its bytes [start, end) without the line end, its first line. */
export type OnRecord = (
  buf: Uint8Array,
  f: Fields,
  start: number,
  end: number,
  line: number,
  flags: number,
) => void;

export interface ScanPosition {
  /** the line the next record starts on (1-based) */
  line: number;
}

/** a quoted field spanning more lines than this is taken as an unclosed quote */
const MAX_QUOTED_LINES = 1000;

/**
 * Scans buf[pos, end) record by record. Returns where the first incomplete record starts (when `final` is false
 * the caller keeps those bytes and calls again with more); with `final` everything is consumed.
 */
export function scan(
  buf: Uint8Array,
  pos: number,
  end: number,
  final: boolean,
  d: Dialect,
  f: Fields,
  at: ScanPosition,
  onRecord: OnRecord,
): number {
  const delim = d.delimiter;
  const quote = d.quote;
  while (pos < end) {
    const recStart = pos;
    const line0 = at.line;
    let lines = 0;
    let flags = 0;
    f.n = 0;
    let c = buf[pos];
    if (c === LF || c === CR) {
      pos += c === CR && pos + 1 < end && buf[pos + 1] === LF ? 2 : 1;
      if (c === CR && pos === end && !final) return recStart; // a CR at the end of a chunk may be half of CRLF
      at.line++;
      onRecord(buf, f, recStart, recStart, line0, FLAG_EMPTY);
      continue;
    }
    let recEnd = -1;
    let incomplete = false;
    for (;;) {
      // one field
      let s = pos;
      while (s < end && (buf[s] === 0x20 || buf[s] === 0x09) && buf[s] !== delim) s++;
      if (quote >= 0 && s < end && buf[s] === quote) {
        const open = s;
        let p = s + 1;
        let closed = -1;
        let bad = false;
        let inner = 0;
        while (p < end) {
          c = buf[p];
          if (c === quote) {
            if (p + 1 < end && buf[p + 1] === quote) {
              flags |= FLAG_ESCAPED;
              p += 2;
              continue;
            }
            closed = p;
            break;
          }
          if (c === LF || (c === CR && buf[p + 1] !== LF)) {
            inner++;
            if (inner > MAX_QUOTED_LINES) {
              bad = true;
              break;
            }
          }
          if (c >= 0x80) flags |= FLAG_HIGH;
          else if (c === 0) flags |= FLAG_NUL;
          p++;
        }
        if (closed < 0 && !bad && !final) {
          incomplete = true;
          break;
        }
        let after = closed + 1;
        if (closed >= 0) {
          while (after < end && (buf[after] === 0x20 || buf[after] === 0x09) && buf[after] !== delim) after++;
          const n = buf[after];
          if (!(after >= end || n === delim || n === LF || n === CR)) bad = true;
          else if (after >= end && !final) {
            incomplete = true;
            break;
          }
        }
        if (closed < 0 || bad) {
          // an unclosed (or misplaced) quote: give up this physical line only
          let q = open;
          while (q < end && buf[q] !== LF && buf[q] !== CR) q++;
          if (q >= end && !final) {
            incomplete = true;
            break;
          }
          recEnd = q;
          flags |= FLAG_UNCLOSED;
          pos = q;
          for (let k = recStart; k < q; k++) {
            const b = buf[k];
            if (b >= 0x80) flags |= FLAG_HIGH;
            else if (b === 0) flags |= FLAG_NUL;
          }
          lines = 0;
          break;
        }
        lines += inner;
        f.push(open + 1, closed, 1);
        pos = after;
      } else {
        let p = pos;
        while (p < end) {
          c = buf[p];
          if (c === delim || c === LF || c === CR) break;
          if (c >= 0x80) flags |= FLAG_HIGH;
          else if (c === 0) flags |= FLAG_NUL;
          p++;
        }
        f.push(pos, p, 0);
        pos = p;
      }
      if (pos >= end) {
        if (!final) {
          incomplete = true;
          break;
        }
        recEnd = end;
        break;
      }
      c = buf[pos];
      if (c === delim) {
        pos++;
        continue;
      }
      recEnd = pos;
      break;
    }
    if (incomplete) return recStart;
    // past the line end
    if (pos < end) {
      if (buf[pos] === CR) {
        if (pos + 1 >= end && !final) return recStart;
        pos += buf[pos + 1] === LF ? 2 : 1;
      } else if (buf[pos] === LF) pos++;
    }
    at.line = line0 + lines + 1;
    onRecord(buf, f, recStart, recEnd, line0, flags);
  }
  return pos;
}

/**
 * Reads a file in chunks into one reused buffer: the bytes of an unfinished record are moved to the front and the
 * next chunk is read after them, so reading allocates nothing per chunk (no garbage for the collector to chase).
 */
export class ChunkReader {
  private buf: Uint8Array;
  private kept = 0;
  constructor(
    private readonly fd: number,
    private readonly chunk: number,
  ) {
    this.buf = new Uint8Array(chunk * 2);
  }

  /** Reads up to `max` bytes at `position`; the returned view holds the kept bytes, then the new ones. */
  next(position: number, max: number): { view: Uint8Array; n: number } {
    const want = Math.min(this.chunk, max);
    if (this.kept + want > this.buf.length) {
      const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.kept + want));
      bigger.set(this.buf.subarray(0, this.kept));
      this.buf = bigger;
    }
    const n = want > 0 ? fs.readSync(this.fd, this.buf, this.kept, want, position) : 0;
    return { view: this.buf.subarray(0, this.kept + n), n };
  }

  /** Keeps view[from, end) for the next read (an unfinished record). */
  keep(view: Uint8Array, from: number): void {
    this.kept = view.length - from;
    if (this.kept > 0) this.buf.copyWithin(0, from, view.length);
  }

  get pending(): number {
    return this.kept;
  }
}

/** The UTF-16 flavour a file's byte-order mark announces, if any. */
export function utf16Of(fd: number): 'utf-16le' | 'utf-16be' | undefined {
  const head = new Uint8Array(2);
  const n = fs.readSync(fd, head, 0, 2, 0);
  if (n < 2) return undefined;
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return undefined;
}

/**
 * Like ChunkReader, for UTF-16 files: each raw chunk is decoded (a character split across chunks is carried by the
 * streaming decoder) and handed to the scanner as UTF-8. Positions and counts are in the file's own bytes.
 */
export class Utf16Reader {
  private readonly decoder: TextDecoder;
  private readonly raw: Uint8Array;
  private kept: Uint8Array = new Uint8Array(0);
  constructor(
    private readonly fd: number,
    private readonly chunk: number,
    encoding: 'utf-16le' | 'utf-16be',
  ) {
    this.decoder = new TextDecoder(encoding, { ignoreBOM: false });
    this.raw = new Uint8Array(chunk);
  }

  next(position: number, max: number): { view: Uint8Array; n: number } {
    const want = Math.min(this.chunk, max);
    const n = want > 0 ? fs.readSync(this.fd, this.raw, 0, want, position) : 0;
    const text = this.decoder.decode(this.raw.subarray(0, n), { stream: n > 0 });
    const fresh = Buffer.from(text, 'utf8');
    const view = new Uint8Array(this.kept.length + fresh.length);
    view.set(this.kept);
    view.set(fresh, this.kept.length);
    return { view, n };
  }

  keep(view: Uint8Array, from: number): void {
    this.kept = view.slice(from);
  }

  get pending(): number {
    return this.kept.length;
  }
}

// Dialect guesses that survive broken rows (DuckDB's sniffer gives up on them): the delimiter that splits most
// sampled lines into the same number of fields, and a header line when no field of the first line is a number.

import fs from 'node:fs';
import { TextDecoder } from 'node:util';

const CANDIDATES = [',', ';', '\t', '|'];

function sampleLines(path: string, sampleBytes = 64 * 1024): string[] {
  const fd = fs.openSync(path, 'r');
  let text: string;
  try {
    const buf = Buffer.alloc(sampleBytes);
    const n = fs.readSync(fd, buf, 0, sampleBytes, 0);
    const bytes = buf.subarray(0, n);
    const utf16 =
      bytes[0] === 0xff && bytes[1] === 0xfe
        ? 'utf-16le'
        : bytes[0] === 0xfe && bytes[1] === 0xff
          ? 'utf-16be'
          : undefined;
    text = utf16 ? new TextDecoder(utf16).decode(bytes) : bytes.toString('utf8');
    if (n === sampleBytes) text = text.slice(0, Math.max(0, text.lastIndexOf('\n'), text.lastIndexOf('\r'))); // drop a cut-short line
  } finally {
    fs.closeSync(fd);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.split(/\r\n|\n|\r/).filter((l) => l.trim() !== ''); // CRLF, LF, and old Mac CR line ends
}

export function guessHeader(path: string, delimiter: string): boolean {
  const first = sampleLines(path, 16 * 1024)[0];
  if (first === undefined) return true;
  const fields = splitFields(first, delimiter).map((f) => f.trim().replace(/^"|"$/g, ''));
  return !fields.some((f) => f !== '' && Number.isFinite(Number(f)));
}

export function guessDelimiter(path: string): string | undefined {
  const lines = sampleLines(path);
  let best: { delim: string; score: number } | undefined;
  for (const delim of CANDIDATES) {
    const counts = new Map<number, number>();
    for (const line of lines) {
      const k = fieldCount(line, delim);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    let modeFields = 1;
    let modeLines = 0;
    for (const [fields, nLines] of counts) {
      if (nLines > modeLines || (nLines === modeLines && fields > modeFields)) {
        modeFields = fields;
        modeLines = nLines;
      }
    }
    if (modeFields < 2) continue;
    const score = modeLines * 1000 + modeFields;
    if (!best || score > best.score) best = { delim, score };
  }
  return best?.delim;
}

function fieldCount(line: string, delim: string): number {
  return splitFields(line, delim).length;
}

function splitFields(line: string, delim: string): string[] {
  const out: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === delim) {
      out.push(line.slice(start, i));
      start = i + 1;
    }
  }
  out.push(line.slice(start));
  return out;
}

// Writing a Frame as Parquet directly from its typed arrays — no engine in between, so a snapshot costs about what
// writing its bytes costs. Uncompressed, row groups of 122,880 rows, one page per column chunk: numbers as DOUBLE,
// booleans as BOOLEAN, date-times as INT64 microseconds (TIMESTAMP_MICROS), categories as UTF-8 strings dictionary-
// encoded with the column's levels; every column OPTIONAL (NaN and code -1 are nulls). The thrift compact encoding of
// the headers and footer is written by hand below (format: github.com/apache/parquet-format, parquet.thrift).

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { Column, Frame } from './frame.ts';

/** Rows per row group (DuckDB's own), so readers can split the file across threads. */
const GROUP_ROWS = 122_880;

// thrift compact protocol: field types, and a growable byte writer
const T = { TRUE: 1, FALSE: 2, I32: 5, I64: 6, BINARY: 8, LIST: 9, STRUCT: 12 } as const;

class Bytes {
  buf = Buffer.alloc(1024);
  n = 0;
  private room(k: number) {
    if (this.n + k <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(this.buf.length * 2, this.n + k));
    this.buf.copy(next, 0, 0, this.n);
    this.buf = next;
  }
  byte(b: number) {
    this.room(1);
    this.buf[this.n++] = b;
  }
  varint(v: bigint) {
    let x = v;
    do {
      let b = Number(x & 0x7fn);
      x >>= 7n;
      if (x > 0n) b |= 0x80;
      this.byte(b);
    } while (x > 0n);
  }
  raw(b: Uint8Array) {
    this.room(b.length);
    this.buf.set(b, this.n);
    this.n += b.length;
  }
  done(): Buffer {
    return this.buf.subarray(0, this.n);
  }
}

/** A thrift struct written field by field (ids ascending); values are plain numbers, strings, lists or structs. */
type Field = [id: number, type: number, value: unknown, elemType?: number];

function zigzag(v: number | bigint): bigint {
  const x = BigInt(v);
  return x >= 0n ? x << 1n : (-x << 1n) - 1n;
}

function writeValue(w: Bytes, type: number, value: unknown, elemType?: number): void {
  if (type === T.I32 || type === T.I64) w.varint(zigzag(value as number | bigint));
  else if (type === T.BINARY) {
    const b = Buffer.from(value as string, 'utf8');
    w.varint(BigInt(b.length));
    w.raw(b);
  } else if (type === T.STRUCT) writeStruct(w, value as Field[]);
  else if (type === T.LIST) {
    const items = value as unknown[];
    const et = elemType as number;
    if (items.length < 15) w.byte((items.length << 4) | et);
    else {
      w.byte(0xf0 | et);
      w.varint(BigInt(items.length));
    }
    for (const it of items) writeValue(w, et, it);
  }
}

function writeStruct(w: Bytes, fields: Field[]): void {
  let last = 0;
  for (const [id, type, value, elemType] of fields) {
    if (value === undefined) continue;
    const t = type === T.TRUE ? (value ? T.TRUE : T.FALSE) : type;
    const delta = id - last;
    if (delta > 0 && delta <= 15) w.byte((delta << 4) | t);
    else {
      w.byte(t);
      w.varint(zigzag(id));
    }
    last = id;
    if (type !== T.TRUE) writeValue(w, type, value, elemType);
  }
  w.byte(0);
}

function thrift(fields: Field[]): Buffer {
  const w = new Bytes();
  writeStruct(w, fields);
  return w.done();
}

// parquet enums
const TYPE = { BOOLEAN: 0, INT64: 2, DOUBLE: 5, BYTE_ARRAY: 6 } as const;
const ENC = { PLAIN: 0, RLE: 3, RLE_DICTIONARY: 8 } as const;
const CONVERTED = { UTF8: 0, TIMESTAMP_MICROS: 10 } as const;
const OPTIONAL = 1;

const POW2 = [1, 2, 4, 8, 16, 32, 64, 128];

/** Values bit-packed LSB first as one run of the RLE/bit-packing hybrid (padded to a multiple of 8 values). */
function bitPacked(values: ArrayLike<number>, count: number, width: number): Buffer {
  const groups = Math.ceil(count / 8);
  const w = new Bytes();
  w.varint((BigInt(groups) << 1n) | 1n);
  const body = Buffer.alloc(groups * width);
  // bits gather in a number (fewer than 8 + width < 40 of them at any time: exact in a double) and leave by bytes
  let acc = 0;
  let bits = 0;
  let pos = 0;
  for (let i = 0; i < count; i++) {
    acc += values[i] * POW2[bits];
    bits += width;
    while (bits >= 8) {
      body[pos++] = acc % 256;
      acc = Math.floor(acc / 256);
      bits -= 8;
    }
  }
  if (bits > 0) body[pos] = acc;
  w.raw(body);
  return w.done();
}

/** Definition levels (1 present, 0 null), length-prefixed as a v1 data page holds them. */
function definitionLevels(present: Uint8Array): Buffer {
  const packed = bitPacked(present, present.length, 1);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(packed.length);
  return Buffer.concat([len, packed]);
}

interface Chunk {
  /** dictionary page body, for categories */
  dictionary?: { body: Buffer; count: number };
  /** data page body: definition levels then values */
  data: Buffer;
  encoding: number;
}

/** One column's rows [start, end) as the page bodies of a column chunk. */
function encodeChunk(c: Column, start: number, end: number): Chunk {
  const n = end - start;
  const present = new Uint8Array(n);
  if (c.type === 'categorical') {
    const codes = c.codes.subarray(start, end);
    const kept = new Int32Array(n);
    let count = 0;
    for (let i = 0; i < n; i++) {
      if (codes[i] < 0) continue;
      present[i] = 1;
      kept[count++] = codes[i];
    }
    const strings = c.levels.map((l) => Buffer.from(l, 'utf8'));
    const dict = Buffer.alloc(strings.reduce((s, b) => s + 4 + b.length, 0));
    let off = 0;
    for (const b of strings) {
      dict.writeUInt32LE(b.length, off);
      b.copy(dict, off + 4);
      off += 4 + b.length;
    }
    const width = Math.max(1, Math.ceil(Math.log2(Math.max(2, c.levels.length))));
    const indices = Buffer.concat([Buffer.from([width]), bitPacked(kept, count, width)]);
    return {
      dictionary: { body: dict, count: c.levels.length },
      data: Buffer.concat([definitionLevels(present), indices]),
      encoding: ENC.RLE_DICTIONARY,
    };
  }
  const values = c.values.subarray(start, end);
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(values[i])) continue;
    present[i] = 1;
    count++;
  }
  let body: Buffer;
  if (c.type === 'boolean') {
    const bits: number[] = [];
    for (let i = 0; i < n; i++) if (present[i]) bits.push(values[i] ? 1 : 0);
    body = Buffer.alloc(Math.ceil(bits.length / 8));
    bits.forEach((b, i) => {
      if (b) body[i >> 3] |= 1 << (i & 7);
    });
  } else if (c.type === 'datetime') {
    body = Buffer.alloc(count * 8);
    let k = 0;
    for (let i = 0; i < n; i++)
      if (present[i]) body.writeBigInt64LE(BigInt(Math.round(values[i] * 1000)), 8 * k++);
  } else if (count === n) {
    body = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  } else {
    const dense = new Float64Array(count);
    let k = 0;
    for (let i = 0; i < n; i++) if (present[i]) dense[k++] = values[i];
    body = Buffer.from(dense.buffer);
  }
  return { data: Buffer.concat([definitionLevels(present), body]), encoding: ENC.PLAIN };
}

function physicalType(c: Column): number {
  return c.type === 'categorical'
    ? TYPE.BYTE_ARRAY
    : c.type === 'boolean'
      ? TYPE.BOOLEAN
      : c.type === 'datetime'
        ? TYPE.INT64
        : TYPE.DOUBLE;
}

function pageHeader(type: 0 | 2, body: number, inner: Field[]): Buffer {
  return thrift([
    [1, T.I32, type],
    [2, T.I32, body],
    [3, T.I32, body],
    type === 0 ? [5, T.STRUCT, inner] : [7, T.STRUCT, inner],
  ]);
}

/** Writes the frame to `file` and fsyncs it; its SHA-256 is taken on the way (the caller renames it into place). */
export async function writeParquet(frame: Frame, file: string): Promise<{ bytes: number; sha256: string }> {
  const fd = fs.openSync(file, 'w');
  const hash = createHash('sha256');
  try {
    let offset = 0;
    const put = (b: Buffer) => {
      let done = 0;
      while (done < b.length) done += fs.writeSync(fd, b, done, b.length - done);
      hash.update(b);
      offset += b.length;
    };
    put(Buffer.from('PAR1'));
    const groups: Field[][] = [];
    // no rows: no row groups, only the schema
    for (let start = 0; start < frame.nRows; start += GROUP_ROWS) {
      const end = Math.min(frame.nRows, start + GROUP_ROWS);
      const chunks: Field[][] = [];
      let groupBytes = 0;
      for (const c of frame.columns) {
        const chunk = encodeChunk(c, start, end);
        const begin = offset;
        let dictionaryOffset: number | undefined;
        if (chunk.dictionary) {
          dictionaryOffset = offset;
          put(
            pageHeader(2, chunk.dictionary.body.length, [
              [1, T.I32, chunk.dictionary.count],
              [2, T.I32, ENC.PLAIN],
            ]),
          );
          put(chunk.dictionary.body);
        }
        const dataOffset = offset;
        put(
          pageHeader(0, chunk.data.length, [
            [1, T.I32, end - start],
            [2, T.I32, chunk.encoding],
            [3, T.I32, ENC.RLE],
            [4, T.I32, ENC.RLE],
          ]),
        );
        put(chunk.data);
        const size = offset - begin;
        groupBytes += size;
        const encodings = chunk.dictionary ? [ENC.PLAIN, ENC.RLE, ENC.RLE_DICTIONARY] : [ENC.PLAIN, ENC.RLE];
        chunks.push([
          [2, T.I64, begin],
          [
            3,
            T.STRUCT,
            [
              [1, T.I32, physicalType(c)],
              [2, T.LIST, encodings, T.I32],
              [3, T.LIST, [c.name], T.BINARY],
              [4, T.I32, 0],
              [5, T.I64, end - start],
              [6, T.I64, size],
              [7, T.I64, size],
              [9, T.I64, dataOffset],
              [11, T.I64, dictionaryOffset],
            ],
          ],
        ]);
      }
      groups.push([
        [1, T.LIST, chunks, T.STRUCT],
        [2, T.I64, groupBytes],
        [3, T.I64, end - start],
      ]);
    }
    const schema: Field[][] = [
      [
        [4, T.BINARY, 'schema'],
        [5, T.I32, frame.columns.length],
      ],
      ...frame.columns.map((c): Field[] => [
        [1, T.I32, physicalType(c)],
        [3, T.I32, OPTIONAL],
        [4, T.BINARY, c.name],
        [
          6,
          T.I32,
          c.type === 'categorical'
            ? CONVERTED.UTF8
            : c.type === 'datetime'
              ? CONVERTED.TIMESTAMP_MICROS
              : undefined,
        ],
      ]),
    ];
    const footer = thrift([
      [1, T.I32, 1],
      [2, T.LIST, schema, T.STRUCT],
      [3, T.I64, frame.nRows],
      [4, T.LIST, groups, T.STRUCT],
      [6, T.BINARY, 'keel'],
    ]);
    put(footer);
    const len = Buffer.alloc(4);
    len.writeUInt32LE(footer.length);
    put(len);
    put(Buffer.from('PAR1'));
    fs.fsyncSync(fd);
    return { bytes: offset, sha256: hash.digest('hex') };
  } finally {
    fs.closeSync(fd);
  }
}

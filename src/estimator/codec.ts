// The artifact codec: magic, a JSON header, then the state's typed arrays as 8-byte-aligned binary buffers.
// The header carries the SHA-256 of everything after it, so a flipped or truncated byte is refused on decode.

import { createHash } from 'node:crypto';
import { KeelError } from '../core/index.ts';
import { EstimatorErrors } from './errors.ts';
import type { StateValue } from './types.ts';

const MAGIC = Buffer.from('KEELART1', 'ascii');

type TypedArray = Float64Array | Float32Array | Int32Array | Uint32Array | Uint8Array;
const DTYPES: Record<
  string,
  { ctor: new (b: ArrayBuffer, o: number, n: number) => TypedArray; bytes: number }
> = {
  f64: { ctor: Float64Array, bytes: 8 },
  f32: { ctor: Float32Array, bytes: 4 },
  i32: { ctor: Int32Array, bytes: 4 },
  u32: { ctor: Uint32Array, bytes: 4 },
  u8: { ctor: Uint8Array, bytes: 1 },
};

function dtypeOf(v: TypedArray): string {
  if (v instanceof Float64Array) return 'f64';
  if (v instanceof Float32Array) return 'f32';
  if (v instanceof Int32Array) return 'i32';
  if (v instanceof Uint32Array) return 'u32';
  return 'u8';
}

interface BufferRef {
  dtype: string;
  offset: number;
  length: number;
}

interface Header {
  format: 'keel.artifact/1';
  bodySha256: string;
  buffers: BufferRef[];
  value: unknown;
}

function isTyped(v: unknown): v is TypedArray {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

/** Encode a state value (JSON + typed arrays) into one self-checking byte string. */
export function encodeArtifact(value: StateValue | Record<string, unknown>): Buffer {
  const parts: Buffer[] = [];
  const buffers: BufferRef[] = [];
  let offset = 0;
  const walk = (v: unknown): unknown => {
    if (isTyped(v)) {
      const bytes = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
      const pad = (8 - (offset % 8)) % 8;
      if (pad) {
        parts.push(Buffer.alloc(pad));
        offset += pad;
      }
      buffers.push({ dtype: dtypeOf(v), offset, length: v.length });
      parts.push(Buffer.from(bytes));
      offset += bytes.length;
      return { $buf: buffers.length - 1 };
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) if (x !== undefined) o[k] = walk(x);
      return o;
    }
    if (typeof v === 'number' && !Number.isFinite(v)) return { $num: String(v) };
    return v;
  };
  const tree = walk(value);
  const body = Buffer.concat(parts);
  const header: Header = {
    format: 'keel.artifact/1',
    bodySha256: createHash('sha256').update(body).digest('hex'),
    buffers,
    value: tree,
  };
  let json = Buffer.from(JSON.stringify(header), 'utf8');
  const jsonPad = (8 - ((MAGIC.length + 4 + json.length) % 8)) % 8;
  json = Buffer.concat([json, Buffer.alloc(jsonPad, 0x20)]);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length, 0);
  return Buffer.concat([MAGIC, len, json, body]);
}

/** Decode and verify an artifact; typed arrays are copied into fresh aligned memory. */
export function decodeArtifact<T = unknown>(bytes: Uint8Array): T {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const corrupt = (why: string): never => {
    throw new KeelError(EstimatorErrors.ARTIFACT_CORRUPT, `artifact is corrupt: ${why}`);
  };
  if (buf.length < MAGIC.length + 4 || !buf.subarray(0, MAGIC.length).equals(MAGIC))
    corrupt('bad magic bytes');
  const jsonLen = buf.readUInt32LE(MAGIC.length);
  const bodyStart = MAGIC.length + 4 + jsonLen;
  if (bodyStart > buf.length) corrupt('header runs past the end');
  let header: Header;
  try {
    header = JSON.parse(buf.subarray(MAGIC.length + 4, bodyStart).toString('utf8')) as Header;
  } catch {
    return corrupt('header is not JSON');
  }
  if (header.format !== 'keel.artifact/1') corrupt(`unknown format ${String(header.format)}`);
  const body = buf.subarray(bodyStart);
  if (createHash('sha256').update(body).digest('hex') !== header.bodySha256)
    corrupt('body checksum mismatch');
  const arrays = header.buffers.map((ref) => {
    const dt = DTYPES[ref.dtype] ?? corrupt(`unknown dtype ${ref.dtype}`);
    const byteLen = ref.length * dt.bytes;
    if (ref.offset + byteLen > body.length) corrupt('buffer runs past the end');
    const copy = new ArrayBuffer(byteLen);
    new Uint8Array(copy).set(body.subarray(ref.offset, ref.offset + byteLen));
    return new dt.ctor(copy, 0, ref.length);
  });
  const revive = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(revive);
    if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.$buf === 'number') return arrays[o.$buf] ?? corrupt(`missing buffer ${o.$buf}`);
      if (typeof o.$num === 'string') return Number(o.$num);
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(o)) out[k] = revive(x);
      return out;
    }
    return v;
  };
  return revive(header.value) as T;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

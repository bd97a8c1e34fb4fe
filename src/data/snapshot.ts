// Content-addressed snapshots: a table's content hashed (SHA-256 over a canonical encoding of names, types and
// values), written as Parquet + schema + profile + manifest into a temporary folder, fsynced, then renamed to its id.
// The same content always gives the same id; reading a snapshot back checks that the content still matches it.

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  type DataKeys,
  dataKeysFromEnv,
  decrypt,
  encryptor,
  fsyncDir,
  isEncrypted,
  KeelError,
  writeFileAtomic,
} from '../core/index.ts';
import { DataErrors } from './errors.ts';
import type { Frame } from './frame.ts';
import { writeParquet } from './parquet-write.ts';
import { profileDataset } from './quality/profile.ts';
import { inferDatasetSchema } from './quality/rules.ts';
import { fileSource } from './sources/file/source.ts';
import { readSource, type SourceDescription, type SourceRead } from './sources/source.ts';

export interface SnapshotManifest {
  id: string;
  rows: number;
  columns: { name: string; type: string }[];
  /** where the data came from (no secrets), including stream positions */
  sources: SourceDescription[];
  /** rows the read quarantined (they are not in the snapshot) */
  quarantined: number;
  createdAt: string;
  /** each file's SHA-256 (of its plaintext when the snapshot is encrypted) */
  files: Record<string, string>;
  /** data, schema and profile are AES-256-GCM encrypted at rest with this key (KEEL_ENCRYPTION_KEY_FILE) */
  encryptedWith?: string;
}

/** A private folder in memory where there is one (/dev/shm), for plaintext that must not reach the disk. */
function privateScratch(): string {
  const base = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
  return fs.mkdtempSync(path.join(base, 'keel-snap-'));
}

function seal(keys: DataKeys, plain: Buffer): Buffer {
  const enc = encryptor(keys.current as NonNullable<DataKeys['current']>);
  return Buffer.concat([enc.head, enc.update(plain), enc.final()]);
}

/** A snapshot file's plaintext (decrypted where it is encrypted), checked against the manifest's hash. */
export function readSnapshotFile(
  folder: string,
  name: string,
  manifest: SnapshotManifest,
  keys = dataKeysFromEnv(),
): Buffer {
  const raw = fs.readFileSync(path.join(folder, name));
  const plain = isEncrypted(raw) ? decrypt(raw, keys, `snapshot ${manifest.id} ${name}`) : raw;
  if (!plain || createHash('sha256').update(plain).digest('hex') !== manifest.files[name])
    throw new KeelError(
      DataErrors.SNAPSHOT_CORRUPT,
      `snapshot ${manifest.id}: ${name} does not match its checksum`,
    );
  return plain;
}

export interface Snapshot {
  id: string;
  dir: string;
  manifest: SnapshotManifest;
  /** false when a snapshot with this id was already there (nothing was written) */
  created: boolean;
}

/** The content id of a frame: independent of category level order, unused levels, NaN payloads, how it was read. */
export function contentId(frame: Frame): string {
  const h = createHash('sha256');
  h.update(`keel-frame-v1\n${frame.nRows}\n`);
  for (const c of frame.columns) {
    h.update(`${JSON.stringify(c.name)}:${c.type}\n`);
    if (c.type === 'categorical') {
      // the levels the rows use, sorted: neither level order nor levels no row uses change the id
      const used = new Uint8Array(c.levels.length);
      for (let i = 0; i < c.codes.length; i++) if (c.codes[i] >= 0) used[c.codes[i]] = 1;
      const order = c.levels
        .map((_, k) => k)
        .filter((k) => used[k] === 1)
        .sort((a, b) => (c.levels[a] < c.levels[b] ? -1 : c.levels[a] > c.levels[b] ? 1 : 0));
      const rank = new Int32Array(c.levels.length);
      order.forEach((k, r) => {
        rank[k] = r;
      });
      h.update(JSON.stringify(order.map((k) => c.levels[k])));
      const codes = new Int32Array(c.codes.length);
      for (let i = 0; i < codes.length; i++) codes[i] = c.codes[i] < 0 ? -1 : rank[c.codes[i]];
      h.update(new Uint8Array(codes.buffer));
    } else {
      // one canonical NaN and +0, so how a value was computed or read never changes the id
      const v = new Float64Array(c.values);
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (Number.isNaN(x)) v[i] = Number.NaN;
        else if (x === 0) v[i] = 0;
      }
      h.update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    }
  }
  return h.digest('hex');
}

/** rows a snapshot's profile describes at most */
const PROFILE_SAMPLE = 100_000;

export interface SnapshotOptions {
  /** the snapshot store: one folder per id */
  dir: string;
  /** the label column, for the profile */
  target?: string;
  now?: Date;
  /** the frame's contentId where the caller has it already (it is the snapshot's id) */
  id?: string;
}

/** Writes what a source read as a snapshot (or finds the identical one already stored). */
export async function writeSnapshot(
  read: SourceRead | { frame: Frame; source: SourceDescription; counts?: { quarantined: number } },
  o: SnapshotOptions,
): Promise<Snapshot> {
  const frame = read.frame;
  const id = o.id ?? contentId(frame);
  const final = path.join(o.dir, id);
  fs.mkdirSync(o.dir, { recursive: true });
  if (fs.existsSync(path.join(final, 'manifest.json'))) {
    const manifest = JSON.parse(
      fs.readFileSync(path.join(final, 'manifest.json'), 'utf8'),
    ) as SnapshotManifest;
    return { id, dir: final, manifest, created: false };
  }
  const tmp = fs.mkdtempSync(path.join(o.dir, `.tmp-${id.slice(0, 8)}-`));
  const keys = dataKeysFromEnv();
  const scratch = keys.current ? privateScratch() : null;
  try {
    // encrypted at rest: the plaintext Parquet is written in memory, only its ciphertext reaches the snapshot store
    const data = await writeParquet(frame, path.join(scratch ?? tmp, 'data.parquet'));
    if (scratch)
      writeFileAtomic(
        path.join(tmp, 'data.parquet'),
        seal(keys, fs.readFileSync(path.join(scratch, 'data.parquet'))),
      );
    const texts: Record<string, string> = {
      'schema.json': `${JSON.stringify(inferDatasetSchema(frame), null, 2)}\n`,
      // the profile describes at most PROFILE_SAMPLE rows, evenly spread: a snapshot stays cheap on every run
      'profile.json': `${JSON.stringify(profileDataset(frame, { target: o.target, sampleRows: PROFILE_SAMPLE }))}\n`,
    };
    for (const [f, text] of Object.entries(texts))
      writeFileAtomic(path.join(tmp, f), scratch ? seal(keys, Buffer.from(text)) : text);
    const files = {
      'data.parquet': data.sha256,
      ...Object.fromEntries(
        Object.entries(texts).map(([f, text]) => [f, createHash('sha256').update(text).digest('hex')]),
      ),
    };
    const manifest: SnapshotManifest = {
      id,
      rows: frame.nRows,
      columns: frame.columns.map((c) => ({ name: c.name, type: c.type })),
      sources: [read.source],
      quarantined: read.counts?.quarantined ?? 0,
      createdAt: (o.now ?? new Date()).toISOString(),
      files,
      ...(keys.current ? { encryptedWith: keys.current.id } : {}),
    };
    writeFileAtomic(path.join(tmp, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    fsyncDir(tmp);
    try {
      fs.renameSync(tmp, final);
    } catch (err) {
      // another writer published the same content first: theirs is identical
      if (!fs.existsSync(path.join(final, 'manifest.json'))) throw err;
      fs.rmSync(tmp, { recursive: true, force: true });
      return {
        id,
        dir: final,
        manifest: JSON.parse(fs.readFileSync(path.join(final, 'manifest.json'), 'utf8')),
        created: false,
      };
    }
    fsyncDir(o.dir);
    return { id, dir: final, manifest, created: true };
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  } finally {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Rewrite every snapshot with the current key (rotation, or encrypting snapshots kept in the clear): each file is
 * opened with whichever key opens it, checked against the manifest, sealed anew and renamed into place.
 */
export function reencryptSnapshots(
  dir: string,
  keys = dataKeysFromEnv(),
): { rewritten: number; kept: number } {
  const current = keys.current;
  if (!current) throw new KeelError(DataErrors.SOURCE_CONFIG, 'no current key: set KEEL_ENCRYPTION_KEY_FILE');
  let rewritten = 0;
  let kept = 0;
  if (!fs.existsSync(dir)) return { rewritten, kept };
  for (const id of fs.readdirSync(dir)) {
    const folder = path.join(dir, id);
    const mf = path.join(folder, 'manifest.json');
    if (!fs.existsSync(mf)) continue;
    const manifest = JSON.parse(fs.readFileSync(mf, 'utf8')) as SnapshotManifest;
    if (manifest.encryptedWith === current.id) {
      kept++;
      continue;
    }
    for (const f of Object.keys(manifest.files))
      writeFileAtomic(path.join(folder, f), seal(keys, readSnapshotFile(folder, f, manifest, keys)));
    writeFileAtomic(mf, `${JSON.stringify({ ...manifest, encryptedWith: current.id }, null, 2)}\n`);
    rewritten++;
  }
  return { rewritten, kept };
}

/** Reads a snapshot back, checking its files' hashes and that the content still has its id. */
export async function readSnapshot(
  dir: string,
  id: string,
): Promise<{ frame: Frame; manifest: SnapshotManifest }> {
  const folder = path.join(dir, id);
  const mf = path.join(folder, 'manifest.json');
  if (!fs.existsSync(mf)) throw new KeelError(DataErrors.SOURCE_UNREADABLE, `no snapshot ${id} in ${dir}`);
  const manifest = JSON.parse(fs.readFileSync(mf, 'utf8')) as SnapshotManifest;
  const keys = dataKeysFromEnv();
  const plain: Record<string, Buffer> = {};
  for (const f of Object.keys(manifest.files)) plain[f] = readSnapshotFile(folder, f, manifest, keys);
  const encrypted = manifest.encryptedWith !== undefined;
  // an encrypted snapshot's Parquet is read from a private copy in memory, removed at once
  const scratch = encrypted ? privateScratch() : null;
  let read: SourceRead;
  try {
    if (scratch) fs.writeFileSync(path.join(scratch, 'data.parquet'), plain['data.parquet'], { mode: 0o600 });
    read = await readSource(fileSource(path.join(scratch ?? folder, 'data.parquet')));
  } finally {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  }
  if (contentId(read.frame) !== id)
    throw new KeelError(DataErrors.SNAPSHOT_CORRUPT, `snapshot ${id}: the data no longer has this id`);
  return { frame: read.frame, manifest };
}

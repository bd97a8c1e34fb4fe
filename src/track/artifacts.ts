// Content-addressed artifact store. The interface is what any backend implements; LocalArtifactStore keeps files at
// sha256/<2>/<hash>, written to a temporary name (streamed, hashed on the way), fsynced, renamed into place — a
// reader never sees half a file — and verified against its hash, as a regular file inside the root, when read.

import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import {
  CoreErrors,
  type DataKeys,
  decrypt,
  diskFull,
  ENCRYPTION_OVERHEAD,
  encryptor,
  fsyncDir,
  isEncrypted,
  KeelError,
  keyIdOf,
  writeFileAtomic,
} from '../core/index.ts';
import { TrackErrors } from './errors.ts';

export interface ArtifactRef {
  sha256: string;
  size: number;
}

export interface ArtifactStore {
  put(bytes: Uint8Array): Promise<ArtifactRef>;
  putStream(source: Readable | AsyncIterable<Uint8Array>): Promise<ArtifactRef>;
  /** the bytes, verified against the hash */
  get(sha256: string): Promise<Buffer>;
  has(sha256: string): Promise<boolean>;
  /** every stored hash with its size and modification time (for the garbage collector) */
  list(): AsyncIterable<{ sha256: string; size: number; mtimeMs: number }>;
  remove(sha256: string): Promise<void>;
}

const HEX64 = /^[0-9a-f]{64}$/;

export class LocalArtifactStore implements ArtifactStore {
  readonly root: string;
  /** encryption at rest: new files with the current key, old ones read with any key of the ring */
  private readonly keys: DataKeys | null;

  constructor(root: string, o: { keys?: DataKeys | null } = {}) {
    this.root = path.resolve(root);
    this.keys = o.keys?.byId.size ? o.keys : null;
    fs.mkdirSync(path.join(this.root, 'tmp'), { recursive: true });
    fs.mkdirSync(path.join(this.root, 'sha256'), { recursive: true });
    this.removeStaleTemporaries();
  }

  pathOf(sha256: string): string {
    if (!HEX64.test(sha256))
      throw new KeelError(TrackErrors.NOT_FOUND, `not a sha256: ${JSON.stringify(sha256)}`);
    return path.join(this.root, 'sha256', sha256.slice(0, 2), sha256);
  }

  async put(bytes: Uint8Array): Promise<ArtifactRef> {
    return this.putStream([bytes]);
  }

  async putStream(source: Readable | AsyncIterable<Uint8Array> | Uint8Array[]): Promise<ArtifactRef> {
    const tmp = path.join(this.root, 'tmp', `w.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    const hash = createHash('sha256');
    let size = 0;
    const fd = fs.openSync(tmp, 'wx');
    const enc = this.keys?.current ? encryptor(this.keys.current) : null;
    const write = (buf: Uint8Array) => {
      let off = 0;
      while (off < buf.byteLength) off += fs.writeSync(fd, buf, off, buf.byteLength - off);
    };
    try {
      if (enc) write(enc.head);
      for await (const chunk of source as AsyncIterable<Uint8Array>) {
        const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        hash.update(buf);
        size += buf.byteLength;
        write(enc ? enc.update(buf) : buf);
      }
      if (enc) write(enc.final());
      fs.fsyncSync(fd);
    } catch (err) {
      fs.closeSync(fd);
      fs.rmSync(tmp, { force: true });
      throw diskFull(err, 'storing an artifact');
    }
    fs.closeSync(fd);
    const sha256 = hash.digest('hex');
    const final = this.pathOf(sha256);
    const existing = fs.lstatSync(final, { throwIfNoEntry: false });
    // the same content stored already, in the clear or encrypted
    if (existing?.isFile() && (existing.size === size || existing.size === size + ENCRYPTION_OVERHEAD)) {
      fs.rmSync(tmp, { force: true });
      fs.utimesSync(final, new Date(), new Date()); // fresh again, so the collector's grace period covers it
      return { sha256, size };
    }
    const dir = path.dirname(final);
    fs.mkdirSync(dir, { recursive: true });
    fs.renameSync(tmp, final);
    fsyncDir(dir);
    return { sha256, size };
  }

  async get(sha256: string): Promise<Buffer> {
    const p = this.pathOf(sha256);
    const st = fs.lstatSync(p, { throwIfNoEntry: false });
    if (!st) throw new KeelError(TrackErrors.ARTIFACT_MISSING, `artifact ${sha256} is not in ${this.root}`);
    if (!st.isFile()) {
      throw new KeelError(
        TrackErrors.ARTIFACT_CORRUPT,
        `artifact ${sha256} is not a regular file (a link or a folder): refused`,
      );
    }
    const real = fs.realpathSync(p);
    if (!real.startsWith(this.root + path.sep)) {
      throw new KeelError(
        TrackErrors.ARTIFACT_CORRUPT,
        `artifact ${sha256} resolves outside the store: refused`,
      );
    }
    const raw = fs.readFileSync(p);
    const bytes = isEncrypted(raw) ? this.open(raw, sha256) : raw;
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== sha256) {
      throw new KeelError(
        TrackErrors.ARTIFACT_CORRUPT,
        `artifact ${sha256} is corrupt on disk (${bytes.length} bytes hashing to ${actual.slice(0, 12)}…)`,
      );
    }
    return bytes;
  }

  private open(raw: Buffer, sha256: string): Buffer {
    if (!this.keys)
      throw new KeelError(
        CoreErrors.ENCRYPTION,
        `artifact ${sha256} is encrypted (key ${keyIdOf(raw)}); give its key with KEEL_ENCRYPTION_KEY_FILE or KEEL_ENCRYPTION_KEYRING`,
      );
    const plain = decrypt(raw, this.keys, `artifact ${sha256}`);
    if (!plain)
      throw new KeelError(
        TrackErrors.ARTIFACT_CORRUPT,
        `artifact ${sha256} fails its authentication tag: altered on disk`,
      );
    return plain;
  }

  /**
   * Rewrite every stored file with the current key (rotation; or encrypting a store kept in the clear so far):
   * each is read with whichever key opens it, checked against its hash, written anew and renamed into place.
   */
  async reencrypt(onFile?: (sha256: string) => void): Promise<{ rewritten: number; kept: number }> {
    const current = this.keys?.current;
    if (!current) throw new KeelError(CoreErrors.ENCRYPTION, 'no current key: set KEEL_ENCRYPTION_KEY_FILE');
    let rewritten = 0;
    let kept = 0;
    for await (const { sha256 } of this.list()) {
      const raw = fs.readFileSync(this.pathOf(sha256));
      if (isEncrypted(raw) && keyIdOf(raw) === current.id) {
        kept++;
        continue;
      }
      const plain = await this.get(sha256);
      const enc = encryptor(current);
      writeFileAtomic(this.pathOf(sha256), Buffer.concat([enc.head, enc.update(plain), enc.final()]));
      rewritten++;
      onFile?.(sha256);
    }
    return { rewritten, kept };
  }

  async has(sha256: string): Promise<boolean> {
    return fs.existsSync(this.pathOf(sha256));
  }

  async *list(): AsyncIterable<{ sha256: string; size: number; mtimeMs: number }> {
    const base = path.join(this.root, 'sha256');
    for (const prefix of fs.readdirSync(base)) {
      const dir = path.join(base, prefix);
      if (!fs.statSync(dir).isDirectory()) continue;
      for (const name of fs.readdirSync(dir)) {
        if (!HEX64.test(name)) continue;
        const st = fs.lstatSync(path.join(dir, name));
        yield { sha256: name, size: st.size, mtimeMs: st.mtimeMs };
      }
    }
  }

  async remove(sha256: string): Promise<void> {
    fs.rmSync(this.pathOf(sha256), { force: true });
  }

  /** Temporaries left by a process that died mid-write are removed; a live writer's are kept. */
  private removeStaleTemporaries(): void {
    const dir = path.join(this.root, 'tmp');
    for (const name of fs.readdirSync(dir)) {
      const pid = Number(name.split('.')[1]);
      if (!Number.isInteger(pid) || !isAlive(pid)) fs.rmSync(path.join(dir, name), { force: true });
    }
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

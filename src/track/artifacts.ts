// Content-addressed artifact store on local disk: sha256/<2>/<hash>, written to a temporary name, fsynced,
// renamed into place (so a reader never sees half a file), and verified against its hash when read.

import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { KeelError } from '../core/index.ts';
import { TrackErrors } from './errors.ts';

export interface ArtifactRef {
  sha256: string;
  size: number;
}

export interface ArtifactStore {
  put(bytes: Uint8Array): ArtifactRef;
  get(sha256: string): Buffer;
  has(sha256: string): boolean;
}

export class LocalArtifactStore implements ArtifactStore {
  readonly root: string;

  constructor(root: string) {
    this.root = root;
    fs.mkdirSync(path.join(root, 'tmp'), { recursive: true });
    fs.mkdirSync(path.join(root, 'sha256'), { recursive: true });
    this.removeStaleTemporaries();
  }

  pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new KeelError(TrackErrors.NOT_FOUND, `not a sha256: ${sha256}`);
    return path.join(this.root, 'sha256', sha256.slice(0, 2), sha256);
  }

  put(bytes: Uint8Array): ArtifactRef {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const ref = { sha256, size: bytes.byteLength };
    const final = this.pathOf(sha256);
    if (fs.existsSync(final) && fs.statSync(final).size === bytes.byteLength) return ref;
    const tmp = path.join(
      this.root,
      'tmp',
      `${sha256.slice(0, 12)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
    );
    const fd = fs.openSync(tmp, 'wx');
    try {
      fs.writeSync(fd, bytes);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    const dir = path.dirname(final);
    fs.mkdirSync(dir, { recursive: true });
    fs.renameSync(tmp, final);
    fsyncDir(dir);
    return ref;
  }

  get(sha256: string): Buffer {
    const p = this.pathOf(sha256);
    if (!fs.existsSync(p))
      throw new KeelError(TrackErrors.ARTIFACT_MISSING, `artifact ${sha256} is not in ${this.root}`);
    const bytes = fs.readFileSync(p);
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== sha256) {
      throw new KeelError(
        TrackErrors.ARTIFACT_CORRUPT,
        `artifact ${sha256} is corrupt on disk (its content hashes to ${actual})`,
      );
    }
    return bytes;
  }

  has(sha256: string): boolean {
    return fs.existsSync(this.pathOf(sha256));
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

function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // some file systems refuse fsync on directories; the rename itself is still atomic
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

// Durable file writes for every room: write to a temporary name, fsync, rename — a reader sees the old file or the
// whole new one, never a part.

import fs from 'node:fs';
import { diskFull } from './errors.ts';

/** Writes `data` to `file` atomically (temporary file in the same folder, fsync, rename). */
export function writeFileAtomic(file: string, data: string | Uint8Array, o: { mode?: number } = {}): void {
  const tmp = `${file}.${process.pid}.${Date.now().toString(36)}.tmp`;
  // a private file (a key) is created with its mode, never readable by others even for an instant
  const fd = fs.openSync(tmp, 'w', o.mode ?? 0o666);
  try {
    if (typeof data === 'string') fs.writeSync(fd, data);
    else {
      let off = 0;
      while (off < data.byteLength) off += fs.writeSync(fd, data, off, data.byteLength - off);
    }
    fs.fsyncSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw diskFull(err, `writing ${file}`);
  }
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
}

/** Flushes a file already written (e.g. by another library) to disk. */
export function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Flushes a folder's entries (after a rename into it); a file system that refuses this still renamed atomically. */
export function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // some file systems refuse fsync on directories
  }
}

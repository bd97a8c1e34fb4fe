// Encryption at rest for artifacts and snapshots: AES-256-GCM with a key from a file (KEEL_ENCRYPTION_KEY_FILE, 32 random bytes in
// base64 — `keel keys data-key`), older keys kept for reading in a key ring folder (KEEL_ENCRYPTION_KEYRING, *.aes).
// A file is MAGIC | key id (16 hex) | nonce (12) | ciphertext | tag (16): the key id says which key opens it.

import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CoreErrors, KeelError } from './errors.ts';
import { writeFileAtomic } from './files.ts';

export const ENCRYPTED_MAGIC = Buffer.from('KEELENC1');
const HEAD = ENCRYPTED_MAGIC.length + 16 + 12;
const TAG = 16;
/** the bytes an encrypted file has beyond its plaintext */
export const ENCRYPTION_OVERHEAD = HEAD + TAG;

export interface DataKey {
  id: string;
  key: Buffer;
}

export interface DataKeys {
  /** the key new files are written with (null: written in the clear) */
  current: DataKey | null;
  /** every key files may be opened with, by id */
  byId: Map<string, Buffer>;
}

export function dataKeyId(key: Buffer): string {
  return createHash('sha256').update('keel-data-key').update(key).digest('hex').slice(0, 16);
}

/** Make a data key file (mode 0600): 32 random bytes, base64. */
export function createDataKey(file: string): DataKey {
  if (fs.existsSync(file))
    throw new KeelError(CoreErrors.ENCRYPTION, `${file} exists already; choose another name`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const key = randomBytes(32);
  writeFileAtomic(file, `${key.toString('base64')}\n`, { mode: 0o600 });
  return { id: dataKeyId(key), key };
}

export function readDataKey(file: string): DataKey {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new KeelError(
      CoreErrors.ENCRYPTION,
      `cannot read the data key ${file}: ${(err as NodeJS.ErrnoException).code}`,
    );
  }
  const key = Buffer.from(text, /^[0-9a-fA-F]{64}$/.test(text) ? 'hex' : 'base64');
  // never echo the file's text: it is the secret
  if (key.length !== 32)
    throw new KeelError(CoreErrors.ENCRYPTION, `${file} does not hold a 32-byte key (base64 or hex)`);
  return { id: dataKeyId(key), key };
}

/** The keys the environment names: the current one and a key ring of older ones (for reading and rotation). */
export function dataKeysFromEnv(env: NodeJS.ProcessEnv = process.env): DataKeys {
  const byId = new Map<string, Buffer>();
  const current = env.KEEL_ENCRYPTION_KEY_FILE ? readDataKey(env.KEEL_ENCRYPTION_KEY_FILE) : null;
  if (current) byId.set(current.id, current.key);
  const ring = env.KEEL_ENCRYPTION_KEYRING;
  if (ring && fs.existsSync(ring))
    for (const f of fs.readdirSync(ring).filter((x) => x.endsWith('.aes'))) {
      const k = readDataKey(path.join(ring, f));
      byId.set(k.id, k.key);
    }
  return { current, byId };
}

/** A streaming encryptor: the header first, then ciphertext as data comes, the tag at the end. */
export function encryptor(k: DataKey): { head: Buffer; update(b: Uint8Array): Buffer; final(): Buffer } {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', k.key, nonce);
  return {
    head: Buffer.concat([ENCRYPTED_MAGIC, Buffer.from(k.id, 'ascii'), nonce]),
    update: (b) => cipher.update(b),
    final: () => Buffer.concat([cipher.final(), cipher.getAuthTag()]),
  };
}

export function isEncrypted(bytes: Uint8Array): boolean {
  return bytes.length >= ENCRYPTION_OVERHEAD && Buffer.from(bytes.subarray(0, 8)).equals(ENCRYPTED_MAGIC);
}

/** The key id an encrypted file was written with. */
export function keyIdOf(bytes: Uint8Array): string {
  return Buffer.from(bytes.subarray(8, 24)).toString('ascii');
}

/** The plaintext of an encrypted file, or null when its authentication tag fails (altered); a key not given is a
 * coded error. */
export function decrypt(bytes: Buffer, keys: DataKeys, what: string): Buffer | null {
  const id = keyIdOf(bytes);
  const key = keys.byId.get(id);
  if (!key)
    throw new KeelError(
      CoreErrors.ENCRYPTION,
      `${what} is encrypted with key ${id}, which is not given (KEEL_ENCRYPTION_KEY_FILE or KEEL_ENCRYPTION_KEYRING)`,
    );
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(24, HEAD));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG));
  try {
    return Buffer.concat([decipher.update(bytes.subarray(HEAD, bytes.length - TAG)), decipher.final()]);
  } catch {
    return null;
  }
}

// API tokens: `keel_<id>_<secret>`, random, shown once, stored as a salted scrypt hash (memory-hard: 16 MiB a try).

import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const N = 16_384;
const R = 8;
const P = 1;
/** the recorded KDF and its parameters, so a later change of cost can still verify older tokens */
export const KDF = `scrypt:${N}:${R}:${P}`;

export interface NewToken {
  id: string;
  /** the whole token: shown once, never stored */
  token: string;
  salt: string;
  hash: string;
}

const FORM = /^keel_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

function derive(secret: string, salt: string, kdf: string): Promise<Buffer> {
  const [, n, r, p] = kdf.split(':').map(Number);
  return new Promise((resolve, reject) =>
    scrypt(secret, Buffer.from(salt, 'hex'), 32, { N: n, r, p, maxmem: 64 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

export async function mintToken(): Promise<NewToken> {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const salt = randomBytes(16).toString('hex');
  const hash = (await derive(secret, salt, KDF)).toString('hex');
  return { id, token: `keel_${id}_${secret}`, salt, hash };
}

/** The id and secret of a token-shaped string (null for anything else). */
export function parseToken(token: string): { id: string; secret: string } | null {
  const m = FORM.exec(token);
  return m ? { id: m[1], secret: m[2] } : null;
}

export async function tokenMatches(
  secret: string,
  stored: { salt: string; hash: string; kdf: string },
): Promise<boolean> {
  const got = await derive(secret, stored.salt, stored.kdf);
  const want = Buffer.from(stored.hash, 'hex');
  return got.length === want.length && timingSafeEqual(got, want);
}

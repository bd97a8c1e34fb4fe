// Ed25519 signatures on model versions: a key pair made by `keel keys create`, the private key used at registration
// (KEEL_SIGNING_KEY), and a trust list of public keys (a folder of .pub files: <home>/trust or KEEL_TRUST) that every
// load and promotion checks. With a trust list, an unsigned version, an unknown signer or a bad signature is refused.

import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { KeelError, writeFileAtomic } from '../core/index.ts';
import { AuditLog } from './audit.ts';
import type { AuthDb } from './db.ts';
import { AuthErrors } from './errors.ts';

export interface VersionSignature {
  alg: 'ed25519';
  keyId: string;
  sig: string;
}

export interface Signer {
  keyId: string;
  sign(payload: Buffer): VersionSignature;
}

export interface TrustList {
  keyIds: string[];
  /** throws AUTH_UNSIGNED or AUTH_BAD_SIGNATURE; `what` names the version in the message */
  verify(payload: Buffer, signature: VersionSignature | null, what: string): void;
}

/** A key's id: the first 16 hex digits of the SHA-256 of its public key (DER). */
export function keyIdOf(pub: KeyObject): string {
  return createHash('sha256')
    .update(pub.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Make a key pair: `<dir>/<name>.key` (private, mode 0600) and `<dir>/<name>.pub` (the line for a trust list). */
export function createSigningKey(
  dir: string,
  name: string,
): { keyFile: string; pubFile: string; keyId: string } {
  if (!KEY_NAME.test(name)) throw new KeelError(AuthErrors.KEY, `a key name must match ${KEY_NAME.source}`);
  fs.mkdirSync(dir, { recursive: true });
  const keyFile = path.join(dir, `${name}.key`);
  const pubFile = path.join(dir, `${name}.pub`);
  if (fs.existsSync(keyFile))
    throw new KeelError(AuthErrors.KEY, `${keyFile} exists already; choose another name`);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  writeFileAtomic(keyFile, String(privateKey.export({ type: 'pkcs8', format: 'pem' })), { mode: 0o600 });
  writeFileAtomic(pubFile, String(publicKey.export({ type: 'spki', format: 'pem' })));
  return { keyFile, pubFile, keyId: keyIdOf(publicKey) };
}

function readKey(file: string, kind: 'private' | 'public'): KeyObject {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new KeelError(
      AuthErrors.KEY,
      `cannot read the ${kind} key ${file}: ${(err as NodeJS.ErrnoException).code}`,
    );
  }
  let key: KeyObject | null = null;
  try {
    key = kind === 'private' ? createPrivateKey(text) : createPublicKey(text);
  } catch {
    key = null;
  }
  // never echo the file's text: it may be a secret
  if (key?.asymmetricKeyType !== 'ed25519')
    throw new KeelError(AuthErrors.KEY, `${file} is not an Ed25519 ${kind} key in PEM form`);
  return key;
}

export function loadSigner(keyFile: string): Signer {
  const priv = readKey(keyFile, 'private');
  const keyId = keyIdOf(createPublicKey(priv));
  return {
    keyId,
    sign: (payload) => ({ alg: 'ed25519', keyId, sig: sign(null, payload, priv).toString('base64') }),
  };
}

/** The trust list in a folder (every *.pub file); null when the folder is absent or holds no key. */
export function loadTrust(dir: string): TrustList | null {
  if (!fs.existsSync(dir)) return null;
  const keys = new Map<string, KeyObject>();
  for (const f of fs
    .readdirSync(dir)
    .filter((x) => x.endsWith('.pub'))
    .sort()) {
    const pub = readKey(path.join(dir, f), 'public');
    keys.set(keyIdOf(pub), pub);
  }
  if (keys.size === 0) return null;
  return {
    keyIds: [...keys.keys()],
    verify(payload, signature, what) {
      if (!signature)
        throw new KeelError(
          AuthErrors.UNSIGNED,
          `${what} is not signed, and this home trusts signed versions only`,
        );
      const key = keys.get(signature.keyId);
      if (!key)
        throw new KeelError(
          AuthErrors.BAD_SIGNATURE,
          `${what} is signed by key ${signature.keyId}, which is not trusted here`,
        );
      let ok = false;
      try {
        ok = signature.alg === 'ed25519' && verify(null, payload, key, Buffer.from(signature.sig, 'base64'));
      } catch {
        ok = false;
      }
      if (!ok)
        throw new KeelError(
          AuthErrors.BAD_SIGNATURE,
          `${what}: its signature does not match its manifest (tampered)`,
        );
    },
  };
}

/**
 * The signing set-up of a home: the private key named by KEEL_SIGNING_KEY (signs new versions) and the trust list
 * in KEEL_TRUST or <home>/trust (checked at every load and promotion). Either may be absent.
 */
export function signingOf(
  home: string,
  env: NodeJS.ProcessEnv = process.env,
): {
  signer: Signer | null;
  trust: TrustList | null;
} {
  return {
    signer: env.KEEL_SIGNING_KEY ? loadSigner(env.KEEL_SIGNING_KEY) : null,
    trust: loadTrust(env.KEEL_TRUST ?? path.join(home, 'trust')),
  };
}

/**
 * What every entry point (the command line, the library) does to a home it opened: the auth tables made (so a server
 * started later has nothing to migrate) and versions signed and checked as the home is set up to (signingOf).
 */
export async function secureHome<
  T extends {
    store: { sql: AuthDb };
    registry: { signWith(s: Signer | null): unknown; trust(v: TrustList['verify'] | null): unknown };
  },
>(home: string, opened: T): Promise<T> {
  const signing = signingOf(home);
  await AuditLog.open(opened.store.sql);
  opened.registry.signWith(signing.signer);
  opened.registry.trust(signing.trust?.verify ?? null);
  return opened;
}

// Artifact names are relative, canonical paths confined to a run: anything that could climb out, hide an encoding,
// name a scheme or carry control characters is refused — at write time and at every lookup.

import { KeelError } from '../core/index.ts';
import { TrackErrors } from './errors.ts';

/** The name itself when it is canonical and safe; otherwise a TRACK_BAD_ARTIFACT_NAME error saying why. */
export function safeArtifactName(name: string): string {
  const bad = (why: string): never => {
    throw new KeelError(
      TrackErrors.BAD_ARTIFACT_NAME,
      `artifact name ${JSON.stringify(name)} refused: ${why}`,
    );
  };
  if (typeof name !== 'string' || name.length === 0) bad('empty');
  if (name.length > 255) bad('longer than 255 characters');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(name)) bad('control character');
  if (name.includes('\\')) bad('backslash');
  if (name.includes('%')) bad('percent-encoding (names are matched decoded, once)');
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(name)) bad('a URI scheme');
  if (name.startsWith('/') || name.startsWith('~')) bad('absolute path');
  for (const seg of name.split('/')) {
    if (seg === '' || seg === '.' || seg === '..') bad(`path segment ${JSON.stringify(seg)}`);
  }
  if (name.normalize('NFC') !== name) bad('not in Unicode normal form C');
  return name;
}

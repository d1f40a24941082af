import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The control API's bearer token. Everything listens on 127.0.0.1, but any local user or
 * browser page could still reach it: the token keeps fault injection to whoever can read the
 * file (mode 0600). Created once and reused, so a stack restarted by `up` keeps working clients.
 */
export function ensureToken(file: string): string {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // A token copied in with looser permissions is tightened rather than trusted as is.
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  const token = readToken(file);
  if (token) return token;
  // An empty file (a crash between create and write) is replaced, not looped on.
  const fresh = randomBytes(32).toString('base64url');
  writeFileSync(file, fresh, { mode: 0o600 });
  return fresh;
}

/** The token, or undefined when no stack was ever brought up with this data dir. */
export function readToken(file: string): string | undefined {
  try {
    const token = readFileSync(file, 'utf8').trim();
    return token.length > 0 ? token : undefined;
  } catch {
    return undefined;
  }
}

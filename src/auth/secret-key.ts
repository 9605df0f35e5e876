import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SecretKey {
  value: string;
  /** where a generated key is kept; undefined when it came from SD_SECRET_KEY */
  file: string | undefined;
  generated: boolean;
}

export const SECRET_KEY_FILE = 'secret-key';

/**
 * SD_SECRET_KEY when set; otherwise the key kept in the data folder, generated on first use, so
 * that a newcomer's server and CLI agree on it without any set-up.
 */
export function resolveSecretKey(configured: string | undefined, dataDir: string): SecretKey {
  if (configured) return { value: configured, file: undefined, generated: false };
  const file = join(dataDir, SECRET_KEY_FILE);
  try {
    const value = readFileSync(file, 'utf8').trim();
    if (value) return { value, file, generated: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dataDir, { recursive: true });
  const value = randomBytes(32).toString('base64url');
  // 'wx' fails if another process created the file meanwhile; then its key is the one to use.
  try {
    writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return resolveSecretKey(undefined, dataDir);
    throw error;
  }
  return { value, file, generated: true };
}

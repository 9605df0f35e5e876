import { signApiToken, type TokenRequest } from '../auth/api-tokens.js';
import { resolveSecretKey } from '../auth/secret-key.js';
import type { Config } from '../config.js';
import type { CliIo } from './io.js';

/** Prints a token for `Authorization: Bearer …`, signed with the same key the server uses. */
export async function runToken(config: Readonly<Config>, request: TokenRequest, io: CliIo): Promise<number> {
  const secretKey = resolveSecretKey(config.secretKey, config.dataDir);
  io.stdout.write(`${await signApiToken({ secretKey: secretKey.value, payloadKey: config.apiPayloadKey }, request)}\n`);
  return 0;
}

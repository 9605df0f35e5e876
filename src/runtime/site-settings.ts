import { readFileSync } from 'node:fs';
import { ConfigError, type Config } from '../config.js';
import { assetType } from '../web/assets.js';
import type { SiteSettings } from '../web/site.js';

const MAX_LOGO_BYTES = 512 * 1024;

/** The title and logo of SD_TITLE and SD_LOGO; a logo that cannot be read stops the start with one clear line. */
export function readSiteSettings(config: Pick<Config, 'title' | 'logoFile'>): SiteSettings {
  if (!config.logoFile) return { title: config.title };
  let bytes: Buffer;
  try {
    bytes = readFileSync(config.logoFile);
  } catch (error) {
    throw new ConfigError([`SD_LOGO: cannot read ${config.logoFile} (${(error as NodeJS.ErrnoException).code ?? String(error)})`]);
  }
  if (bytes.length > MAX_LOGO_BYTES) throw new ConfigError([`SD_LOGO: ${config.logoFile} is larger than 512 KiB`]);
  return { title: config.title, logo: { bytes, type: assetType(config.logoFile) ?? 'application/octet-stream' } };
}

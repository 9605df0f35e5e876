import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { SiteSettings } from './site.js';

export interface Asset {
  bytes: Buffer;
  type: string;
}

/** The page assets, each under a name that holds its content hash, so browsers may keep them for good. */
export interface Assets {
  files: Map<string, Asset>;
  /** `banner`: the embeddable banner's script, which other sites include as /banner.js (docs/banner.md) */
  urls: { style: string; script: string; logo: string; banner: string };
}

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
};

export function assetType(path: string): string | undefined {
  return TYPES[extname(path).toLowerCase()];
}

// The same relative place from src/web and from dist/web.
const PUBLIC_DIR = new URL('../../public/', import.meta.url);

export function loadAssets(site: SiteSettings): Assets {
  const files = new Map<string, Asset>();
  const add = (name: string, asset: Asset): string => {
    const hash = createHash('sha256').update(asset.bytes).digest('hex').slice(0, 12);
    const dot = name.lastIndexOf('.');
    const url = `/assets/${name.slice(0, dot)}.${hash}${name.slice(dot)}`;
    files.set(url, asset);
    return url;
  };
  const bundled = (name: string) => add(name, { bytes: readFileSync(new URL(name, PUBLIC_DIR)), type: assetType(name) ?? 'application/octet-stream' });
  return {
    files,
    urls: {
      style: bundled('style.css'),
      script: bundled('app.js'),
      banner: bundled('banner.js'),
      logo: site.logo ? add(`logo${extensionOf(site.logo.type)}`, site.logo) : bundled('logo.svg'),
    },
  };
}

function extensionOf(type: string): string {
  return Object.entries(TYPES).find(([, known]) => known === type)?.[0] ?? '';
}

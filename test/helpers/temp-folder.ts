import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

/** A fresh folder under the system's temp folder, `sd-<purpose>-…`, removed when the test ends. */
export function tempFolder(t: TestContext, purpose: string): string {
  const folder = mkdtempSync(join(tmpdir(), `sd-${purpose}-`));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

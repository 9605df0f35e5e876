import assert from 'node:assert/strict';
import { syncBuiltinESMExports } from 'node:module';
import { mock, type TestContext } from 'node:test';
import zlib from 'node:zlib';

/** An answer's bytes as sent, decoded from its Content-Encoding. */
export function decoded(response: { rawPayload: Buffer; headers: Record<string, unknown> }): Buffer {
  const coding = response.headers['content-encoding'];
  if (coding === 'br') return zlib.brotliDecompressSync(response.rawPayload);
  if (coding === 'gzip') return zlib.gunzipSync(response.rawPayload);
  assert.equal(coding, undefined);
  return response.rawPayload;
}

/** Counts the compressions this test causes: the application calls zlib's sync functions through its ESM bindings. */
export function countCompressions(t: TestContext) {
  const br = mock.method(zlib, 'brotliCompressSync');
  const gz = mock.method(zlib, 'gzipSync');
  syncBuiltinESMExports();
  t.after(() => {
    br.mock.restore();
    gz.mock.restore();
    syncBuiltinESMExports();
  });
  return () => br.mock.callCount() + gz.mock.callCount();
}

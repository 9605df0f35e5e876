import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../src/config.js';
import { readSiteSettings } from '../src/runtime/site-settings.js';

describe('configuration', () => {
  it('defaults to port 5000, a SQLite file under ./data and the stackmon payload key', () => {
    const config = loadConfig({});
    assert.equal(config.port, 5000);
    assert.equal(config.databaseUrl, 'sqlite:./data/status.db');
    assert.equal(config.apiPayloadKey, 'stackmon');
    assert.equal(config.catalogFile, undefined);
    assert.equal(config.oidc, undefined);
    assert.ok(Object.isFrozen(config));
  });

  it('reads SD_ settings, coerces numbers, treats empty values as unset and ignores other variables', () => {
    const config = loadConfig({ SD_PORT: '8080', SD_DATABASE_URL: 'postgres://db/status', SD_CATALOG: '', PORT: '1', SD_SECRET_KEY: 's' });
    assert.equal(config.port, 8080);
    assert.equal(config.databaseUrl, 'postgres://db/status');
    assert.equal(config.catalogFile, undefined);
    assert.equal(config.secretKey, 's');
  });

  it('names every bad setting on a line of its own', () => {
    assert.throws(
      () => loadConfig({ SD_PORT: '70000', SD_DATABASE_URL: 'sqlite3://x', SD_PUBLIC_URL: 'example.org' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(error.problems.map((line) => line.split(':')[0]).sort(), ['SD_DATABASE_URL', 'SD_PORT', 'SD_PUBLIC_URL']);
        return true;
      },
    );
  });

  it('protects /metrics with SD_METRICS_TOKEN when set, and refuses a token that is short or has spaces', () => {
    assert.equal(loadConfig({}).metricsToken, undefined);
    assert.equal(loadConfig({ SD_METRICS_TOKEN: 'a1b2c3d4e5f6a7b8c9d0' }).metricsToken, 'a1b2c3d4e5f6a7b8c9d0');
    for (const token of ['short', 'sixteen chars or more', 'x'.repeat(15)]) {
      assert.throws(() => loadConfig({ SD_METRICS_TOKEN: token }), /SD_METRICS_TOKEN: expected at least 16 characters/);
    }
  });

  it('needs the OpenID Connect issuer and client id together', () => {
    assert.throws(() => loadConfig({ SD_OIDC_ISSUER: 'https://id.example.org/realms/x' }), /SD_OIDC_ISSUER and SD_OIDC_CLIENT_ID/);
    const config = loadConfig({ SD_OIDC_ISSUER: 'https://id.example.org/realms/x', SD_OIDC_CLIENT_ID: 'status', SD_OIDC_REQUIRED_GROUP: '/ops' });
    assert.deepEqual(config.oidc, { issuer: 'https://id.example.org/realms/x', clientId: 'status', clientSecret: undefined, roles: { admins: '/ops', operators: undefined, creators: undefined }, allowHttp: false });
  });

  it('reads the groups of the roles; SD_OIDC_REQUIRED_GROUP names the admins’ group unless SD_ADMINS_GROUP does (issue 17)', () => {
    const oidc = { SD_OIDC_ISSUER: 'https://id.example.org/realms/x', SD_OIDC_CLIENT_ID: 'status' };
    const roles = loadConfig({ ...oidc, SD_ADMINS_GROUP: '/sd_admins', SD_OPERATORS_GROUP: '/sd_operators', SD_CREATORS_GROUP: 'sd_creators' }).oidc?.roles;
    assert.deepEqual(roles, { admins: '/sd_admins', operators: '/sd_operators', creators: 'sd_creators' });
    assert.deepEqual(loadConfig({ ...oidc, SD_ADMINS_GROUP: 'sd_admins', SD_OIDC_REQUIRED_GROUP: '/sd_admins' }).oidc?.roles.admins, 'sd_admins', 'the same group, spelled two ways');
    assert.throws(() => loadConfig({ ...oidc, SD_ADMINS_GROUP: '/sd_admins', SD_OIDC_REQUIRED_GROUP: '/ops' }), /SD_ADMINS_GROUP and SD_OIDC_REQUIRED_GROUP: set one/);
  });

  it('brands the pages with SD_TITLE and an image file in SD_LOGO', () => {
    assert.equal(loadConfig({}).title, 'Status Dashboard');
    const config = loadConfig({ SD_TITLE: 'Acme Cloud Status', SD_LOGO: './brand/logo.svg' });
    assert.deepEqual([config.title, config.logoFile], ['Acme Cloud Status', './brand/logo.svg']);
    assert.throws(() => loadConfig({ SD_LOGO: './brand/logo.gif' }), /SD_LOGO: expected the path of an .svg, .png, .webp or .jpg file/);
  });

  it('stops the start with one line when the logo cannot be read, and serves it when it can', () => {
    assert.throws(() => readSiteSettings({ title: 'T', logoFile: '/nonexistent/logo.png' }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.deepEqual(error.problems, ['SD_LOGO: cannot read /nonexistent/logo.png (ENOENT)']);
      return true;
    });
    const dir = mkdtempSync(join(tmpdir(), 'sd-logo-'));
    writeFileSync(join(dir, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    const site = readSiteSettings({ title: 'T', logoFile: join(dir, 'logo.png') });
    assert.equal(site.logo?.type, 'image/png');
    assert.deepEqual([...(site.logo?.bytes ?? [])], [0x89, 0x50, 0x4e, 0x47]);
    rmSync(dir, { recursive: true });
  });

  it('allows the /auth callbacks of SD_AUTH_CALLBACK_URLS only: none when unset, origin and path of each', () => {
    assert.deepEqual(loadConfig({}).authCallbackUrls, []);
    const config = loadConfig({ SD_AUTH_CALLBACK_URLS: 'https://Front.example.com:443/signin-oidc, http://localhost:3000/signin-oidc' });
    assert.deepEqual(config.authCallbackUrls, ['https://front.example.com/signin-oidc', 'http://localhost:3000/signin-oidc']);
    for (const bad of ['front.example.com/signin-oidc', 'https://front.example.com/signin-oidc?x=1', 'https://a@front.example.com/', 'ftp://front.example.com/', 'https://front.example.com/#top']) {
      assert.throws(() => loadConfig({ SD_AUTH_CALLBACK_URLS: bad }), /SD_AUTH_CALLBACK_URLS: expected http\(s\) URLs without query, fragment or user/, bad);
    }
  });

  it('trusts X-Forwarded-* (SD_TRUST_PROXY) from no one by default, from n hops, or from addresses; never from everyone', () => {
    assert.equal(loadConfig({}).trustProxy, false);
    assert.equal(loadConfig({ SD_TRUST_PROXY: 'false' }).trustProxy, false);
    assert.equal(loadConfig({ SD_TRUST_PROXY: '2' }).trustProxy, 2);
    assert.deepEqual(loadConfig({ SD_TRUST_PROXY: '10.0.0.0/8, ::1, 192.168.1.5, loopback' }).trustProxy, ['10.0.0.0/8', '::1', '192.168.1.5', 'loopback']);
    for (const bad of ['true', 'yes', '10.0.0.0/33', '10.0.0.0/8/1', 'proxy.example.com', '-1']) {
      assert.throws(() => loadConfig({ SD_TRUST_PROXY: bad }), /SD_TRUST_PROXY: expected false, the number of proxies in front/, bad);
    }
  });
});

import { isIP } from 'node:net';
import { envSchema } from 'env-schema';
import { Type, type Static } from 'typebox';
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from './http/limits.js';
import { DEFAULT_READ_WAIT_MS } from './read-model/read-model.js';
import { DEFAULT_TIMEOUTS, type StoreTimeouts } from './storage/store.js';
import { callbackUrlOf } from './auth/callback-urls.js';
import { sameGroup, type RoleGroups } from './domain/roles.js';
import { isContactEmail } from './domain/contact-email.js';

const ConfigSchema = Type.Object({
  SD_PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 5000 }),
  SD_HOST: Type.String({ minLength: 1, default: '0.0.0.0' }),
  SD_DATABASE_URL: Type.String({ pattern: '^(sqlite:.*|postgres(ql)?://.+)$', default: 'sqlite:./data/status.db' }),
  SD_DATA_DIR: Type.String({ minLength: 1, default: './data' }),
  SD_CATALOG: Type.Optional(Type.String({ minLength: 1 })),
  SD_SECRET_KEY: Type.Optional(Type.String({ minLength: 1 })),
  SD_API_PAYLOAD_KEY: Type.String({ minLength: 1, default: 'stackmon' }),
  SD_OIDC_ISSUER: Type.Optional(Type.String({ pattern: '^https?://.+' })),
  SD_OIDC_CLIENT_ID: Type.Optional(Type.String({ minLength: 1 })),
  SD_OIDC_CLIENT_SECRET: Type.Optional(Type.String({ minLength: 1 })),
  SD_OIDC_REQUIRED_GROUP: Type.Optional(Type.String({ minLength: 1 })),
  SD_ADMINS_GROUP: Type.Optional(Type.String({ minLength: 1 })),
  SD_OPERATORS_GROUP: Type.Optional(Type.String({ minLength: 1 })),
  SD_CREATORS_GROUP: Type.Optional(Type.String({ minLength: 1 })),
  SD_OIDC_ALLOW_HTTP: Type.Boolean({ default: false }),
  SD_PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://.+' })),
  SD_AUTH_CALLBACK_URLS: Type.Optional(Type.String({ minLength: 1 })),
  SD_TRUST_PROXY: Type.Optional(Type.String({ minLength: 1 })),
  SD_TITLE: Type.String({ minLength: 1, maxLength: 100, default: 'Status Dashboard' }),
  SD_LOGO: Type.Optional(Type.String({ minLength: 1, pattern: '\\.(svg|png|webp|jpe?g)$' })),
  SD_DB_CONNECT_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 600_000, default: DEFAULT_TIMEOUTS.connectMs }),
  SD_DB_STATEMENT_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 600_000, default: DEFAULT_TIMEOUTS.statementMs }),
  SD_DB_LOCK_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 600_000, default: DEFAULT_TIMEOUTS.lockMs }),
  SD_DB_READ_WAIT_MS: Type.Integer({ minimum: 10, maximum: 60_000, default: DEFAULT_READ_WAIT_MS }),
  SD_HTTP_MAX_CONNECTIONS: Type.Integer({ minimum: 1, maximum: 1_000_000, default: DEFAULT_HTTP_LIMITS.maxConnections }),
  SD_HTTP_KEEP_ALIVE_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 600_000, default: DEFAULT_HTTP_LIMITS.keepAliveTimeoutMs }),
  SD_HTTP_HEADERS_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 600_000, default: DEFAULT_HTTP_LIMITS.headersTimeoutMs }),
  SD_HTTP_REQUEST_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 3_600_000, default: DEFAULT_HTTP_LIMITS.requestTimeoutMs }),
  SD_HTTP_IDLE_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 3_600_000, default: DEFAULT_HTTP_LIMITS.idleTimeoutMs }),
  SD_SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://.+' })),
  SD_MAIL_FROM: Type.Optional(Type.String({ minLength: 3, maxLength: 254 })),
  SD_WEBHOOK_ALLOW_PRIVATE: Type.Boolean({ default: false }),
  SD_NOTIFY_REMINDERS: Type.String({ default: '24h,1h' }),
  SD_METRICS_TOKEN: Type.Optional(Type.String({ minLength: 1 })),
  SD_NOTIFY_COALESCE_SECONDS: Type.Integer({ minimum: 5, maximum: 3_600, default: 60 }),
  SD_LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
    { default: 'info' },
  ),
});

type Environment = Static<typeof ConfigSchema>;

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  dataDir: string;
  catalogFile: string | undefined;
  /** undefined: the server keeps a generated one in the data folder */
  secretKey: string | undefined;
  apiPayloadKey: string;
  oidc: { issuer: string; clientId: string; clientSecret: string | undefined; roles: RoleGroups; allowHttp: boolean } | undefined;
  publicUrl: string | undefined;
  /** where `/auth/callback` may send the front end's browser: origin and path of each (callbackUrlOf) */
  authCallbackUrls: readonly string[];
  /** which peers' X-Forwarded-* headers count: none, the nearest `n` hops, or these addresses/CIDRs */
  trustProxy: false | number | readonly string[];
  /** the name the pages show */
  title: string;
  /** an image file shown as the pages' logo */
  logoFile: string | undefined;
  logLevel: string;
  notifications: {
    /** SD_SMTP_URL and SD_MAIL_FROM; undefined: nobody can subscribe by email */
    smtp: { url: string; from: string } | undefined;
    allowPrivateWebhooks: boolean;
    /** before a maintenance starts, ms */
    reminderLeads: number[];
    coalesceMs: number;
  };
  /** how long this instance waits for its database (spec §8) */
  database: StoreTimeouts & { readWaitMs: number };
  http: HttpLimits;
  /** the bearer token `/metrics` asks for; undefined: it is open (a network where only Prometheus reaches it) */
  metricsToken: string | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/** Parses the environment once (spec §6); every bad setting becomes one line naming it. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  const relevant = Object.fromEntries(Object.entries(env).filter(([key, value]) => key.startsWith('SD_') && value !== ''));
  let parsed: Environment;
  try {
    parsed = envSchema<Environment>({ schema: ConfigSchema, data: relevant, dotenv: false });
  } catch (error) {
    throw new ConfigError(describeProblems(error));
  }
  const problems: string[] = [];
  const oidcSet = [parsed.SD_OIDC_ISSUER, parsed.SD_OIDC_CLIENT_ID].filter(Boolean).length;
  if (oidcSet === 1) problems.push('SD_OIDC_ISSUER and SD_OIDC_CLIENT_ID: set both or neither');
  if (parsed.SD_ADMINS_GROUP !== undefined && parsed.SD_OIDC_REQUIRED_GROUP !== undefined && !sameGroup(parsed.SD_ADMINS_GROUP, parsed.SD_OIDC_REQUIRED_GROUP)) {
    problems.push('SD_ADMINS_GROUP and SD_OIDC_REQUIRED_GROUP: set one (SD_OIDC_REQUIRED_GROUP is the admins\' group)');
  }
  if (parsed.SD_HTTP_HEADERS_TIMEOUT_MS > parsed.SD_HTTP_REQUEST_TIMEOUT_MS) problems.push('SD_HTTP_HEADERS_TIMEOUT_MS: must not be longer than SD_HTTP_REQUEST_TIMEOUT_MS');
  const callbackEntries = commaList(parsed.SD_AUTH_CALLBACK_URLS);
  const authCallbackUrls = callbackEntries.map(callbackUrlOf).filter((url) => url !== undefined);
  if (authCallbackUrls.length < callbackEntries.length) {
    problems.push('SD_AUTH_CALLBACK_URLS: expected http(s) URLs without query, fragment or user, separated by commas (e.g. https://status-front.example.com/signin-oidc)');
  }
  const trustProxy = proxyTrust(parsed.SD_TRUST_PROXY);
  if ((parsed.SD_SMTP_URL === undefined) !== (parsed.SD_MAIL_FROM === undefined)) problems.push('SD_SMTP_URL and SD_MAIL_FROM: set both or neither');
  if (parsed.SD_SMTP_URL !== undefined && parsed.SD_PUBLIC_URL === undefined) problems.push('SD_PUBLIC_URL: needed with SD_SMTP_URL, for the links in mails');
  if (parsed.SD_MAIL_FROM !== undefined && !isContactEmail(parsed.SD_MAIL_FROM.replace(/^.*<(.+)>\s*$/, '$1'))) problems.push('SD_MAIL_FROM: expected an address (status@example.com, or "Status <status@example.com>")');
  const reminderLeads = parsed.SD_NOTIFY_REMINDERS === 'none' ? [] : commaList(parsed.SD_NOTIFY_REMINDERS).map(parseDuration);
  if (reminderLeads.some((lead) => lead === undefined)) problems.push('SD_NOTIFY_REMINDERS: expected durations such as 24h,1h,30m, or none');
  if (trustProxy === undefined) {
    problems.push('SD_TRUST_PROXY: expected false, the number of proxies in front (e.g. 1), or their addresses/CIDRs separated by commas (e.g. 10.0.0.0/8); true would let any client choose its address');
  }
  if (parsed.SD_METRICS_TOKEN !== undefined && !BEARER_TOKEN.test(parsed.SD_METRICS_TOKEN)) {
    problems.push('SD_METRICS_TOKEN: expected at least 16 characters of letters, digits and -._~+/ (e.g. the output of openssl rand -hex 32)');
  }
  if (problems.length > 0 || trustProxy === undefined) throw new ConfigError(problems);
  return Object.freeze({
    port: parsed.SD_PORT,
    host: parsed.SD_HOST,
    databaseUrl: parsed.SD_DATABASE_URL,
    dataDir: parsed.SD_DATA_DIR,
    catalogFile: parsed.SD_CATALOG,
    secretKey: parsed.SD_SECRET_KEY,
    apiPayloadKey: parsed.SD_API_PAYLOAD_KEY,
    oidc:
      parsed.SD_OIDC_ISSUER && parsed.SD_OIDC_CLIENT_ID
        ? {
            issuer: parsed.SD_OIDC_ISSUER,
            clientId: parsed.SD_OIDC_CLIENT_ID,
            clientSecret: parsed.SD_OIDC_CLIENT_SECRET,
            // SD_OIDC_REQUIRED_GROUP, from before roles, names the admins' group.
            roles: { admins: parsed.SD_ADMINS_GROUP ?? parsed.SD_OIDC_REQUIRED_GROUP, operators: parsed.SD_OPERATORS_GROUP, creators: parsed.SD_CREATORS_GROUP },
            allowHttp: parsed.SD_OIDC_ALLOW_HTTP,
          }
        : undefined,
    publicUrl: parsed.SD_PUBLIC_URL,
    authCallbackUrls,
    trustProxy,
    title: parsed.SD_TITLE,
    logoFile: parsed.SD_LOGO,
    logLevel: parsed.SD_LOG_LEVEL,
    notifications: {
      smtp: parsed.SD_SMTP_URL !== undefined && parsed.SD_MAIL_FROM !== undefined ? { url: parsed.SD_SMTP_URL, from: parsed.SD_MAIL_FROM } : undefined,
      allowPrivateWebhooks: parsed.SD_WEBHOOK_ALLOW_PRIVATE,
      reminderLeads: reminderLeads.filter((lead): lead is number => lead !== undefined),
      coalesceMs: parsed.SD_NOTIFY_COALESCE_SECONDS * 1000,
    },
    database: {
      connectMs: parsed.SD_DB_CONNECT_TIMEOUT_MS,
      statementMs: parsed.SD_DB_STATEMENT_TIMEOUT_MS,
      lockMs: parsed.SD_DB_LOCK_TIMEOUT_MS,
      readWaitMs: parsed.SD_DB_READ_WAIT_MS,
    },
    http: {
      maxConnections: parsed.SD_HTTP_MAX_CONNECTIONS,
      keepAliveTimeoutMs: parsed.SD_HTTP_KEEP_ALIVE_TIMEOUT_MS,
      headersTimeoutMs: parsed.SD_HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: parsed.SD_HTTP_REQUEST_TIMEOUT_MS,
      idleTimeoutMs: parsed.SD_HTTP_IDLE_TIMEOUT_MS,
    },
    metricsToken: parsed.SD_METRICS_TOKEN,
  });
}

/** RFC 6750's token characters, long enough not to be guessed. */
const BEARER_TOKEN = /^[A-Za-z0-9\-._~+/]{16,}=*$/;

const DURATION_UNITS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000 };

/** `24h`, `90m`, `2d`: a positive whole number of days, hours or minutes, in ms. */
function parseDuration(text: string): number | undefined {
  const match = /^([1-9]\d{0,4})([dhm])$/.exec(text);
  return match ? Number(match[1]) * (DURATION_UNITS[match[2] ?? ''] ?? 0) : undefined;
}

function commaList(text: string | undefined): string[] {
  return (text ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
}

// proxy-addr's names for well-known ranges, which Fastify's trustProxy accepts beside addresses.
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyAddress(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) >= 1 && Number(prefix) <= (family === 4 ? 32 : 128));
}

/**
 * SD_TRUST_PROXY; undefined when invalid. `true` is refused: trusting every hop makes the client
 * address the first X-Forwarded-For entry, which the client itself writes when a proxy appends
 * to the header, and the login limits and the `/auth` hand-off rely on that address.
 */
function proxyTrust(text: string | undefined): Config['trustProxy'] | undefined {
  if (text === undefined || text === 'false' || text === '0') return false;
  if (/^[1-9]\d{0,1}$/.test(text)) return Number(text);
  const entries = commaList(text);
  return entries.length > 0 && entries.every(isProxyAddress) ? entries : undefined;
}

interface AjvError {
  instancePath: string;
  message?: string;
  keyword: string;
  params: Record<string, unknown>;
}

function describeProblems(error: unknown): string[] {
  const errors = (error as { errors?: AjvError[] }).errors;
  if (!Array.isArray(errors)) return [String(error)];
  const bySetting = new Map<string, string>();
  for (const problem of errors) {
    const setting = problem.instancePath.replace(/^\//, '').split('/')[0] || String(problem.params.missingProperty ?? 'configuration');
    if (bySetting.has(setting)) continue;
    bySetting.set(setting, `${setting}: ${explain(setting, problem)}`);
  }
  return [...bySetting.values()];
}

function explain(setting: string, problem: AjvError): string {
  if (setting === 'SD_DATABASE_URL') return 'expected sqlite:<path> (e.g. sqlite:./data/status.db) or postgres://…';
  if (setting === 'SD_LOG_LEVEL') return 'expected one of fatal, error, warn, info, debug, trace, silent';
  if (setting === 'SD_LOGO') return 'expected the path of an .svg, .png, .webp or .jpg file';
  if (problem.keyword === 'pattern' && /URL|ISSUER/.test(setting)) return 'expected an http(s):// URL';
  if (problem.keyword === 'type') return `expected ${String(problem.params.type)}`;
  if (problem.keyword === 'minimum' || problem.keyword === 'maximum') return `expected a whole number ${problem.keyword === 'minimum' ? 'of at least' : 'of at most'} ${String(problem.params.limit)}`;
  return problem.message ?? 'invalid value';
}

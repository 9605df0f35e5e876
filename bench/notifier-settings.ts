/** The notifier's settings as src/runtime/server.ts gives them (no mailer: webhooks only); the report says them. */
export const NOTIFIER = { webhookTimeoutMs: 10_000, allowPrivateWebhooks: true, intervalMs: 1_000, concurrency: 8, claimSize: 64, paceMs: 160, claimMs: 60_000, coalesceMs: 60_000 };

import { WEBHOOK_FORMATS, type WebhookFormat } from '../../domain/notifications/message.js';
import type { ScopeCatalog } from '../../domain/scope-form.js';
import { CsrfField, Field, ProblemSummary, valueOf, type FormState } from '../form-parts.js';
import { Layout, type PageContext, type SessionView } from '../layout.js';
import { Fact, Facts, Time } from '../parts.js';
import { ScopeFields } from '../scope-fields.js';

/** One delivery as operators see it among a webhook's recent ones. */
export interface DeliveryRow {
  id: number;
  /** the event it tells of; null for a test */
  eventId: number | null;
  state: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  /** when a pending delivery is tried (again) */
  dueAt: number;
  sentAt: number | null;
  createdAt: number;
}

/** A webhook as operators see it: never its secret. */
export interface WebhookRow {
  id: number;
  url: string;
  format: WebhookFormat;
  /** the scope in words */
  scope: string;
  enabled: boolean;
  disabledReason: string | null;
  failingSince: number | null;
  createdBy: string;
  createdAt: number;
  deliveries: readonly DeliveryRow[];
}

interface WebhooksPageProps {
  context: PageContext;
  operator: SessionView;
  webhooks: readonly WebhookRow[];
  catalog: ScopeCatalog;
  /** the add form, as sent after a refusal */
  form: FormState;
  /** a webhook just added, with its secret: shown this once */
  added?: { id: number; secret: string } | undefined;
  /** SD_WEBHOOK_ALLOW_PRIVATE */
  allowPrivate: boolean;
}

const FORMAT_LABELS: Record<WebhookFormat, string> = { json: 'JSON (ours)', slack: 'Slack', teams: 'Microsoft Teams', discord: 'Discord' };
const STATE_LABELS: Record<DeliveryRow['state'], string> = { pending: 'waiting', sending: 'sending', sent: 'sent', failed: 'failed' };

/**
 * `/webhooks` (issue 18), for operators and admins: every webhook with what it follows, whether it
 * is enabled (and why not, prominently), its recent deliveries with their tries and errors, and
 * its buttons; the form to add one, after which the secret is shown once.
 */
export function WebhooksPage({ context, operator, webhooks, catalog, form, added, allowPrivate }: WebhooksPageProps) {
  const disabled = webhooks.filter((webhook) => !webhook.enabled).length;
  return (
    <Layout context={context} operator={operator} title="Webhooks" section="operator" wide>
      <h1>Webhooks</h1>
      {added && <AddedNotice id={added.id} secret={added.secret} />}
      <p>
        Webhooks tell other systems (a chat channel, an incident tool) of incidents, maintenances and notices as they change: a signed POST of JSON, retried for a day when the receiver
        fails. A webhook whose deliveries fail for a day is disabled; enable it again once its receiver works. Every change here is in the <a href="/audit?entity=webhook">audit log</a>.
      </p>
      {disabled > 0 && (
        <p class="notice problem" role="status">
          <strong>{disabled === 1 ? '1 webhook is disabled' : `${disabled} webhooks are disabled`}:</strong> it receives nothing until it is enabled again. The reason is shown with it below.
        </p>
      )}
      {webhooks.length === 0 ? (
        <p class="notice">No webhook yet: add one below.</p>
      ) : (
        webhooks.map((webhook) => <WebhookSection webhook={webhook} csrf={operator.csrf} />)
      )}
      <AddForm csrf={operator.csrf} catalog={catalog} form={form} allowPrivate={allowPrivate} />
    </Layout>
  );
}

/** The secret, this once, and how a receiver checks a delivery with it. */
function AddedNotice({ id, secret }: { id: number; secret: string }) {
  return (
    <div class="notice webhook-secret" role="status">
      <p>
        <strong>Webhook {id} was added.</strong> Its signing secret is shown this once; copy it to the receiver now:
      </p>
      <p>
        <code>{secret}</code>
      </p>
      <p>
        Every delivery carries <code>X-Status-Dashboard-Signature: t=&lt;unix time&gt;,v1=&lt;signature&gt;</code>. The receiver computes the HMAC-SHA256 of <code>&lt;t&gt;.&lt;raw body&gt;</code>{' '}
        with this secret, compares it in constant time with <code>v1</code> (hexadecimal), and refuses a <code>t</code> older than five minutes. The documentation
        (docs/notifications.md, "Webhooks") has the code for Node.js and Python. Send a test below to see one arrive.
      </p>
    </div>
  );
}

function WebhookSection({ webhook, csrf }: { webhook: WebhookRow; csrf: string }) {
  const heading = `webhook-${webhook.id}-title`;
  return (
    <section class="operator-panel" id={`webhook-${webhook.id}`} aria-labelledby={heading}>
      <h2 id={heading}>
        Webhook {webhook.id}: {webhook.enabled ? 'enabled' : 'disabled'}
      </h2>
      {!webhook.enabled && (
        <p class="notice problem">
          <strong>Disabled:</strong> {webhook.disabledReason ?? 'no reason was recorded'}
        </p>
      )}
      <Facts>
        <Fact term="URL">
          <code>{webhook.url}</code>
        </Fact>
        <Fact term="Format">{FORMAT_LABELS[webhook.format]}</Fact>
        <Fact term="Follows">{webhook.scope}</Fact>
        {webhook.failingSince !== null && (
          <Fact term="Failing since">
            <Time at={webhook.failingSince} />
          </Fact>
        )}
        <Fact term="Added">
          <Time at={webhook.createdAt} /> by {webhook.createdBy}
        </Fact>
      </Facts>
      <p>
        <ActionButton id={webhook.id} action="test" csrf={csrf} label="Send test" />
        <ActionButton id={webhook.id} action={webhook.enabled ? 'disable' : 'enable'} csrf={csrf} label={webhook.enabled ? 'Disable' : 'Enable'} />
        <ActionButton id={webhook.id} action="remove" csrf={csrf} label="Remove" />
      </p>
      <Deliveries webhook={webhook} />
    </section>
  );
}

/** One button, its own form (each changes something), named for screen readers with its webhook. */
function ActionButton({ id, action, csrf, label }: { id: number; action: string; csrf: string; label: string }) {
  return (
    <form method="post" action={`/webhooks/${id}/${action}`} class="inline-form">
      <CsrfField token={csrf} />
      <button type="submit" class="secondary">
        {label}
        <span class="visually-hidden"> (webhook {id})</span>
      </button>
    </form>
  );
}

function Deliveries({ webhook }: { webhook: WebhookRow }) {
  if (webhook.deliveries.length === 0) return <p class="muted">No delivery yet.</p>;
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={`Recent deliveries of webhook ${webhook.id}`}>
      <table>
        <caption>Recent deliveries, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Number</th>
            <th scope="col">About</th>
            <th scope="col">State</th>
            <th scope="col">Tries</th>
            <th scope="col">Last error</th>
            <th scope="col">Next try</th>
            <th scope="col">Sent</th>
          </tr>
        </thead>
        <tbody>
          {webhook.deliveries.map((delivery) => (
            <tr>
              <td>{delivery.id}</td>
              <td>{delivery.eventId === null ? 'test' : <a href={`/incidents/${delivery.eventId}`}>event {delivery.eventId}</a>}</td>
              <td>{STATE_LABELS[delivery.state]}</td>
              <td>{delivery.attempts}</td>
              <td>{delivery.lastError ?? <span class="muted">none</span>}</td>
              <td>{delivery.state === 'pending' ? <Time at={delivery.dueAt} /> : <span class="muted">none</span>}</td>
              <td>{delivery.sentAt === null ? <span class="muted">not yet</span> : <Time at={delivery.sentAt} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function AddForm({ csrf, catalog, form, allowPrivate }: { csrf: string; catalog: ScopeCatalog; form: FormState; allowPrivate: boolean }) {
  const hint = allowPrivate
    ? 'http:// or https://, without user or password. Loopback and private addresses are allowed on this server (SD_WEBHOOK_ALLOW_PRIVATE).'
    : 'http:// or https://, without user or password (put a token in the path or query). Loopback, private and link-local addresses are refused.';
  return (
    <section class="operator-panel" aria-labelledby="add-webhook-title">
      <h2 id="add-webhook-title">Add a webhook</h2>
      <form method="post" action="/webhooks" class="operator-form" aria-describedby={form.problems.length > 0 ? 'add-webhook-problems' : undefined}>
        <ProblemSummary state={form} id="add-webhook-problems" />
        <CsrfField token={csrf} />
        <Field state={form} name="url" id="webhook-url" label="URL" hint={hint}>
          {(describedBy, invalid) => (
            <input type="text" inputMode="url" spellcheck={false} autocomplete="off" id="webhook-url" name="url" required maxLength={2000} value={valueOf(form, 'url')} aria-describedby={describedBy} aria-invalid={invalid ? 'true' : undefined} />
          )}
        </Field>
        <Field state={form} name="format" id="webhook-format" label="Format" hint="Slack, Teams and Discord take their incoming webhooks' messages; JSON carries the event as API v2 shows it.">
          {(describedBy) => (
            <select id="webhook-format" name="format" aria-describedby={describedBy}>
              {WEBHOOK_FORMATS.map((format) => (
                <option value={format} selected={format === valueOf(form, 'format', 'json')}>
                  {FORMAT_LABELS[format]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <ScopeFields state={form} catalog={catalog} />
        <button type="submit">Add webhook</button>
      </form>
    </section>
  );
}

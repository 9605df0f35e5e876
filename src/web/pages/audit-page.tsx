import { AUDIT_ENTITIES, type AuditLogEntry, type AuditPage as AuditLogPage } from '../../domain/audit.js';
import { changedFields } from '../audit-diff.js';
import { auditHref, type AuditFilterValues } from '../audit-links.js';
import { Layout, type PageContext, type SessionView } from '../layout.js';
import { NewerOlder, Time } from '../parts.js';

interface AuditPageProps {
  context: PageContext;
  operator: SessionView;
  page: AuditLogPage;
  /** the filter as asked, to fill the form and carry on in the page links */
  values: AuditFilterValues;
}

/** Every recorded change, newest first, with what it changed: for operators only. */
export function AuditPage({ context, operator, page, values }: AuditPageProps) {
  const filtered = Object.keys(values).length > 0;
  return (
    <Layout context={context} operator={operator} title="Audit log" section="operator" wide>
      <h1>Audit log</h1>
      <form method="get" action="/audit" class="filters audit-filters" aria-label="Filter the audit log">
        <label>
          Who
          <input type="text" name="actor" value={values.actor ?? ''} maxLength={200} placeholder="api: or local:alice" />
        </label>
        <label>
          What
          <input type="text" name="action" value={values.action ?? ''} maxLength={64} placeholder="event.open" />
        </label>
        <label>
          Kind
          <select name="entity">
            <option value="">Everything</option>
            {AUDIT_ENTITIES.map((entity) => (
              <option value={entity} selected={values.entity === entity}>
                {entity}
              </option>
            ))}
          </select>
        </label>
        <label>
          Number
          <input type="text" name="entity_id" value={values.entity_id ?? ''} inputMode="numeric" pattern="[0-9]*" maxLength={10} size={8} />
        </label>
        <label>
          From
          <input type="text" name="from" value={values.from ?? ''} placeholder="2026-11-28" size={12} />
        </label>
        <label>
          To
          <input type="text" name="to" value={values.to ?? ''} placeholder="2026-11-28" size={12} />
        </label>
        <button type="submit">Show</button>
        {filtered && <a href="/audit">Show everything</a>}
      </form>
      <p class="hint">
        Who: a name as shown below, or its beginning up to the colon (<code>api:</code>, <code>local:</code>) for all of that kind. From and to: UTC days, both included, or ISO times such as
        2026-11-28T09:30:00Z.
      </p>

      {page.entries.length === 0 ? (
        <p class="notice">{filtered ? 'No changes match these filters.' : 'No changes have been recorded yet.'}</p>
      ) : (
        <>
          <div class="table-wrap" tabIndex={0} role="region" aria-label="Audit log entries">
            <table class="audit-table">
              <caption>Changes, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">What</th>
                  <th scope="col">Which</th>
                  <th scope="col">Changes</th>
                </tr>
              </thead>
              <tbody>
                {page.entries.map((entry) => (
                  <AuditRow entry={entry} />
                ))}
              </tbody>
            </table>
          </div>
          {(page.newer || page.older) && (
            <NewerOlder newer={page.newer && auditHref(values, { after: page.newer })} older={page.older && auditHref(values, { before: page.older })} />
          )}
        </>
      )}
    </Layout>
  );
}

function AuditRow({ entry }: { entry: AuditLogEntry }) {
  const changes = changedFields(entry.before, entry.after);
  const which = `${entry.entity} ${entry.entityId}`;
  return (
    <tr>
      <td>
        <Time at={entry.at} />
      </td>
      <td>{entry.actor}</td>
      <td>{entry.action}</td>
      <td>{entry.entity === 'event' ? <a href={`/incidents/${entry.entityId}`}>{which}</a> : which}</td>
      <td class="audit-changes">
        {changes.length === 0 ? (
          <span class="muted">No field changed</span>
        ) : (
          <dl>
            {changes.map((change) => (
              <div>
                <dt>{change.field || 'value'}</dt>
                <dd>
                  <Value text={change.before} side="Before" />
                  <span class="audit-arrow" aria-hidden="true">
                    →
                  </span>
                  <Value text={change.after} side="After" />
                </dd>
              </div>
            ))}
          </dl>
        )}
      </td>
    </tr>
  );
}

function Value({ text, side }: { text: string | undefined; side: 'Before' | 'After' }) {
  return (
    <pre class={`audit-value audit-${side.toLowerCase()}`}>
      <span class="visually-hidden">{side}: </span>
      {text ?? <span class="muted">(none)</span>}
    </pre>
  );
}

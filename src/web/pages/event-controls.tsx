import type { Component } from '../../domain/component.js';
import type { EventUpdate, StatusEvent } from '../../domain/event.js';
import { PENDING_REVIEW } from '../../domain/event-status.js';
import { IMPACTS } from '../../domain/impact.js';
import type { Role } from '../../domain/roles.js';
import { TITLE_LENGTH, UPDATE_TEXT_LENGTH } from '../../domain/rules/operator-forms.js';
import { CsrfField, DateTimeInput, Field, ProblemSummary, TimeZoneField, valueOf, type FormState } from '../form-parts.js';
import type { SessionView } from '../layout.js';
import { eventKindLabel, statusLabel } from '../parts.js';

/** What the update form explains of each status it offers. */
const STATUS_HINTS: Record<string, string> = {
  analyzing: 'the cause is being looked for',
  fixing: 'the cause is known and being fixed',
  'impact changed': 'the impact is now the one chosen below',
  observing: 'a fix is in place and being watched',
  resolved: 'ends the incident at the date given, or now',
  reopened: 'opens the incident again, with the impact chosen below',
  changed: 'sets a new end date (the date below)',
  'in progress': 'the work started early, at the date below',
  active: 'the notice started early, at the date below',
  modified: 'moves the window to the start and end below',
  planned: 'moves the window to the start and end below',
  completed: 'ends it now',
  cancelled: 'it will not happen',
  reviewed: 'approves it; it is then planned by itself',
};

/** What a status means for this person: sending a proposal back is its proposer's way to save an edit. */
function statusHint(status: string, role: Role): string {
  if (status === PENDING_REVIEW) return role === 'creator' ? 'saves the title and window below; it stays pending review' : 'sends it back to its proposer with the message below';
  return STATUS_HINTS[status] ?? '';
}

/** Who wrote an entry, in words (the audit log keeps the exact actor). */
export function authorLabel(author: string | null): string {
  if (author === null || author.startsWith('system')) return 'monitoring';
  const [kind, ...rest] = author.split(':');
  const name = rest.join(':');
  if (kind === 'api') return `API client ${name}`;
  if (kind === 'cli') return `command line (${name})`;
  return name || author;
}

/**
 * The update form under an event (reference v1 §4.7): only the statuses that can succeed now for
 * this person. A creator gets it only for their own proposal while it waits: to edit or withdraw it.
 */
export function UpdateForm({ event, offered, operator, state, now }: { event: StatusEvent; offered: readonly string[]; operator: SessionView; state: FormState; now: number }) {
  const kind = eventKindLabel(event).toLowerCase();
  if (offered.length === 0) {
    // A refused form (a creator's post to an incident, say) still says why.
    return (
      <>
        <ProblemSummary state={state} id="update-problems" />
        <p class="muted">
          {event.status === 'cancelled'
            ? `This ${kind} was cancelled: it takes no more updates.${operator.role === 'creator' ? '' : ' Entries can still be corrected below.'}`
            : `Only operators and admins can update this ${kind}.`}
        </p>
      </>
    );
  }
  const zone = valueOf(state, 'timezone', 'UTC');
  const incident = event.type === 'incident';
  const ownProposal = operator.role === 'creator';
  return (
    <section aria-labelledby="update-heading" class="operator-panel">
      <h2 id="update-heading">{ownProposal ? 'Edit your proposal' : 'Post an update'}</h2>
      <ProblemSummary state={state} id="update-problems" />
      <form class="operator-form" method="post" action={`/incidents/${event.id}`} aria-describedby={state.problems.length > 0 ? 'update-problems' : undefined}>
        <CsrfField token={operator.csrf} />
        <Field state={state} name="status" id="update-status" label="Status">
          {(describedBy, invalid) => (
            <select id="update-status" name="status" required aria-describedby={describedBy} aria-invalid={invalid ? 'true' : undefined}>
              <option value="">Choose a status…</option>
              {offered.map((status) => (
                <option value={status} selected={valueOf(state, 'status') === status}>
                  {statusLabel(status)}: {statusHint(status, operator.role)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field state={state} name="title" id="update-title" label="Title" hint={`Every update sets the title (${TITLE_LENGTH.min} to ${TITLE_LENGTH.max} characters).`}>
          {(describedBy, invalid) => (
            <input id="update-title" name="title" type="text" required maxLength={TITLE_LENGTH.max} value={valueOf(state, 'title', event.title)} aria-describedby={describedBy} aria-invalid={invalid ? 'true' : undefined} />
          )}
        </Field>
        <Field state={state} name="text" id="update-text" label="Message" hint={`${ownProposal ? 'What changed, for the reviewers' : 'What readers should know'} (${UPDATE_TEXT_LENGTH.min} to ${UPDATE_TEXT_LENGTH.max} characters).`}>
          {(describedBy, invalid) => (
            <textarea id="update-text" name="text" rows={3} required maxLength={UPDATE_TEXT_LENGTH.max} aria-describedby={describedBy} aria-invalid={invalid ? 'true' : undefined}>
              {valueOf(state, 'text')}
            </textarea>
          )}
        </Field>
        {incident && (
          <Field state={state} name="impact" id="update-impact" label="Impact" hint='Changes only with "impact changed", "reopened" or "changed".'>
            {(describedBy, invalid) => (
              <select id="update-impact" name="impact" aria-describedby={describedBy} aria-invalid={invalid ? 'true' : undefined}>
                {IMPACTS.filter((impact) => impact.level > 0).map((impact) => (
                  <option value={impact.key} selected={valueOf(state, 'impact', IMPACTS[event.impact].key) === impact.key}>
                    {impact.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <TimeZoneField state={state} id="update-timezone" />
        {!ownProposal && (
          <Field state={state} name="date" id="update-date" label="Date" hint={incident ? 'When it happened; for "changed", the new end date.' : 'For "in progress" / "active": when it started.'}>
            {(describedBy, invalid) => <DateTimeInput id="update-date" name="date" state={state} zone={zone} defaultAt={now} describedBy={describedBy} invalid={invalid} />}
          </Field>
        )}
        {!incident && (
          <>
            <Field state={state} name="start" id="update-start" label="Window start">
              {(describedBy, invalid) => <DateTimeInput id="update-start" name="start" state={state} zone={zone} defaultAt={event.startAt} describedBy={describedBy} invalid={invalid} />}
            </Field>
            <Field state={state} name="end" id="update-end" label="Window end">
              {(describedBy, invalid) => <DateTimeInput id="update-end" name="end" state={state} zone={zone} defaultAt={event.endAt ?? undefined} describedBy={describedBy} invalid={invalid} />}
            </Field>
          </>
        )}
        <button type="submit">{ownProposal ? 'Save' : 'Post the update'}</button>
      </form>
    </section>
  );
}

/** Corrects an entry's text in place (reference v3 §3.7); its position counts from the oldest entry. */
export function EditUpdateText({ eventId, update, position, operator }: { eventId: number; update: EventUpdate; position: number; operator: SessionView }) {
  const id = `edit-${position}`;
  return (
    <details class="entry-tools">
      <summary>Correct this text</summary>
      <form method="post" action={`/incidents/${eventId}/updates/${position}`} class="operator-form">
        <CsrfField token={operator.csrf} />
        <label for={id}>New text</label>
        <textarea id={id} name="text" rows={3} required maxLength={UPDATE_TEXT_LENGTH.max}>
          {update.text}
        </textarea>
        <button type="submit">Save the text</button>
      </form>
    </details>
  );
}

/** Moves one service into an incident of its own (reference v1 §4.8); offered while others stay. */
export function SeparateButton({ event, component, operator }: { event: StatusEvent; component: Component; operator: SessionView }) {
  return (
    <form method="post" action={`/incidents/${event.id}/separate`} class="inline-form">
      <CsrfField token={operator.csrf} />
      <input type="hidden" name="component" value={String(component.id)} />
      <button type="submit" class="secondary" aria-label={`Separate ${component.name} into its own ${eventKindLabel(event).toLowerCase()}`}>
        Separate
      </button>
    </form>
  );
}

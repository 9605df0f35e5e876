import type { StatusEvent } from '../../domain/event.js';
import { PENDING_REVIEW, REVIEWED } from '../../domain/event-status.js';
import { atLeast } from '../../domain/roles.js';
import { UPDATE_TEXT_LENGTH } from '../../domain/rules/operator-forms.js';
import { CsrfField, EMPTY_FORM, Field, ProblemSummary, valueOf, type FormState } from '../form-parts.js';
import type { SessionView } from '../layout.js';
import { Fact } from '../parts.js';
import { authorLabel } from './event-controls.js';

/**
 * The review's own forms post to the event's update route like the update form, with a `form`
 * field that names them, so that a refusal comes back to the form that was sent.
 */
const REVIEW_FORMS: readonly string[] = ['approve', 'send-back'];

export function isReviewForm(state: FormState): boolean {
  return REVIEW_FORMS.includes(valueOf(state, 'form'));
}

/**
 * The entry an approval writes. Readers see the whole timeline once the maintenance is approved,
 * so it names nobody: who approved it is in the audit log, and shown to operators under the entry.
 */
export const APPROVAL_TEXT = 'The maintenance is approved.';

export function isPendingReview(event: StatusEvent): boolean {
  return event.type === 'maintenance' && event.status === PENDING_REVIEW;
}

/**
 * Who proposed or opened an event, in words: the author of its first entry, named as the timeline
 * names authors (`oidc:<sub>`, the stored actor id, is no name), else that id.
 */
export function proposerOf(event: StatusEvent): string | undefined {
  const first = event.updates.at(-1);
  if (first?.author) return authorLabel(first.author);
  return event.creator === null ? undefined : authorLabel(event.creator);
}

/** Facts that only people with a role see (issue 17): who opened it and a maintenance's contact, never shown to readers. */
export function StaffFacts({ event }: { event: StatusEvent }) {
  const proposer = event.creator === null ? undefined : proposerOf(event);
  return (
    <>
      {proposer !== undefined && <Fact term={isPendingReview(event) ? 'Proposed by' : 'Opened by'}>{proposer}</Fact>}
      {event.contactEmail !== null && (
        <Fact term="Contact">
          <a href={`mailto:${event.contactEmail}`}>{event.contactEmail}</a>
        </Fact>
      )}
    </>
  );
}

/** The fields every review form carries: the token, which form, the status it sets, the title it keeps, the version reviewed. */
function ReviewFields({ event, session, form, status }: { event: StatusEvent; session: SessionView; form: string; status: string }) {
  return (
    <>
      <CsrfField token={session.csrf} />
      <input type="hidden" name="form" value={form} />
      <input type="hidden" name="status" value={status} />
      <input type="hidden" name="title" value={event.title} />
      {/* An approval holds for what was reviewed: a proposal edited since is a conflict (409). */}
      <input type="hidden" name="version" value={String(event.version)} />
    </>
  );
}

/**
 * A proposal's review, under its title (issue 17): that it waits, and for operators and admins
 * "Approve" and "Send back" (with a message for the proposer). Cancelling goes through the update
 * form. After a refused review form, its problems show here even if the maintenance moved on
 * (someone else approved it first).
 */
export function ReviewPanel({ event, session, state }: { event: StatusEvent; session: SessionView; state: FormState }) {
  const pending = isPendingReview(event);
  const sent = isReviewForm(state) ? state : EMPTY_FORM;
  if (!pending && sent.problems.length === 0) return null;
  const reviewer = atLeast(session.role, 'operator');
  const sendBack = valueOf(sent, 'form') === 'send-back' ? sent : EMPTY_FORM;
  return (
    <section aria-labelledby="review-heading" class="operator-panel">
      <h2 id="review-heading">{pending ? 'Pending review' : 'Review'}</h2>
      <ProblemSummary state={sent} id="review-problems" />
      {pending && !reviewer && (
        <p>
          Your proposal waits for an operator to review it. Readers do not see it until it is approved. You can still change it (choose "pending review" under "Edit your proposal") or
          withdraw it ("cancelled").
        </p>
      )}
      {pending && reviewer && (
        <>
          <p>
            Readers do not see this maintenance until it is approved. Once approved, it is planned within a minute, then starts and ends with its window. To cancel it, choose "cancelled"
            under "Post an update".
          </p>
          <div>
            <form method="post" action={`/incidents/${event.id}`} class="operator-form">
              <ReviewFields event={event} session={session} form="approve" status={REVIEWED} />
              <input type="hidden" name="text" value={APPROVAL_TEXT} />
              <button type="submit">Approve</button>
            </form>
            <form method="post" action={`/incidents/${event.id}`} class="operator-form" aria-describedby={sendBack.problems.length > 0 ? 'review-problems' : undefined}>
              <ReviewFields event={event} session={session} form="send-back" status={PENDING_REVIEW} />
              <Field
                state={sendBack}
                name="text"
                id="send-back-text"
                label="Send back with a message"
                hint={`What the proposer should change (${UPDATE_TEXT_LENGTH.min} to ${UPDATE_TEXT_LENGTH.max} characters). It stays pending review.`}
              >
                {(describedBy, invalid) => (
                  <textarea
                    id="send-back-text"
                    name="text"
                    rows={3}
                    required
                    minLength={UPDATE_TEXT_LENGTH.min}
                    maxLength={UPDATE_TEXT_LENGTH.max}
                    aria-describedby={describedBy}
                    aria-invalid={invalid ? 'true' : undefined}
                  >
                    {valueOf(sendBack, 'text')}
                  </textarea>
                )}
              </Field>
              <button type="submit">Send back</button>
            </form>
          </div>
        </>
      )}
    </section>
  );
}

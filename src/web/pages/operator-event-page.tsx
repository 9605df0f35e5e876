import type { Component } from '../../domain/component.js';
import type { StatusEvent } from '../../domain/event.js';
import { atLeast } from '../../domain/roles.js';
import { statusesOffered } from '../../domain/rules/operator-forms.js';
import { EMPTY_FORM, type FormState } from '../form-parts.js';
import type { PageContext, SessionView } from '../layout.js';
import { EditUpdateText, SeparateButton, UpdateForm } from './event-controls.js';
import { EventPage } from './event-page.js';
import { isReviewForm, ReviewPanel, StaffFacts } from './review-controls.js';

interface OperatorEventPageProps {
  context: PageContext;
  event: StatusEvent;
  components: readonly Component[];
  now: number;
  session: SessionView;
  /** the update form (or a review form) as it was sent, when it was refused */
  state?: FormState;
}

/**
 * An event as people with a role see it: the public page with its proposer and contact, a
 * proposal's review (issue 17), the update form and the tools of reference v1 §4.7–§4.8.
 * Correcting entries and separating services are for operators and admins: a creator only
 * edits or withdraws their own proposal, through the update form.
 */
export function OperatorEventPage({ context, event, components, now, session, state = EMPTY_FORM }: OperatorEventPageProps) {
  // Entries are named by their position, oldest first, as API v2 names them.
  const positions = new Map([...event.updates].sort((a, b) => a.id - b.id).map((update, position) => [update.id, position]));
  const operator = atLeast(session.role, 'operator');
  // Separating from an ended event would open a new one for something that is over.
  const separable = operator && event.componentIds.length > 1 && (event.endAt === null || event.endAt > now);
  const review = isReviewForm(state);
  return (
    <EventPage
      context={context}
      event={event}
      components={components}
      now={now}
      operatorTools={{
        session,
        facts: <StaffFacts event={event} />,
        review: <ReviewPanel event={event} session={session} state={review ? state : EMPTY_FORM} />,
        form: <UpdateForm event={event} offered={statusesOffered(event, now, { id: session.subject, role: session.role })} operator={session} state={review ? EMPTY_FORM : state} now={now} />,
        entryTools: (update) => (operator ? <EditUpdateText eventId={event.id} update={update} position={positions.get(update.id) ?? 0} operator={session} /> : null),
        componentTools: (component) => (separable ? <SeparateButton event={event} component={component} operator={session} /> : null),
      }}
    />
  );
}

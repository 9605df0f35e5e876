import type { Component } from '../../domain/component.js';
import type { StatusEvent } from '../../domain/event.js';
import { updateTextHtml } from '../../domain/texts.js';
import { Layout, type PageContext, type SessionView } from '../layout.js';
import { Fact, Facts, Icon, regionsOf, ServiceList, statusLabel, Time } from '../parts.js';
import { authorLabel } from './event-controls.js';
import { proposerOf } from './review-controls.js';

interface ReviewsPageProps {
  context: PageContext;
  operator: SessionView;
  /** the maintenances pending review this person sees, newest first */
  proposals: readonly StatusEvent[];
  componentsOf: (event: StatusEvent) => readonly Component[];
}

/**
 * `/reviews` (issue 17): the maintenances pending review. Operators and admins see every one, to
 * approve, send back or cancel on its page; a creator sees their own, with the latest word on each.
 */
export function ReviewsPage({ context, operator, proposals, componentsOf }: ReviewsPageProps) {
  const reviewer = operator.role !== 'creator';
  const title = reviewer ? 'Maintenances pending review' : 'Your proposals';
  return (
    <Layout context={context} operator={operator} title={title} section="operator">
      <h1>{title}</h1>
      <p>
        {reviewer
          ? 'Readers see none of these until an operator or admin approves it. Open one to approve it, send it back to its proposer or cancel it.'
          : 'Your maintenances that wait for an operator to review them. Readers see one only once it is approved; open it to edit or withdraw it.'}
      </p>
      {proposals.length === 0 ? (
        <p class="notice">{reviewer ? 'No maintenance is pending review.' : 'You have no proposal pending review.'}</p>
      ) : (
        <section aria-labelledby="proposals-heading">
          <h2 id="proposals-heading">
            {proposals.length === 1 ? '1 maintenance' : `${proposals.length} maintenances`} pending review, newest first
          </h2>
          {proposals.map((event) => (
            <ProposalSummary event={event} components={componentsOf(event)} />
          ))}
        </section>
      )}
    </Layout>
  );
}

/** One proposal: what, when, where, who and whom to contact, and the latest entry (a send-back's message, say). */
function ProposalSummary({ event, components }: { event: StatusEvent; components: readonly Component[] }) {
  const regions = regionsOf(components);
  const latest = event.updates[0];
  return (
    <article class="event-summary state-border-maintenance" aria-labelledby={`proposal-${event.id}-title`}>
      <h3 id={`proposal-${event.id}-title`}>
        <Icon name="planned" />
        <a href={`/incidents/${event.id}`}>{event.title}</a>
      </h3>
      <Facts>
        <Fact term="Window">
          <Time at={event.startAt} />
          {event.endAt !== null && (
            <>
              {' to '}
              <Time at={event.endAt} />
            </>
          )}
        </Fact>
        <Fact term={regions.length > 1 ? 'Regions' : 'Region'}>{components.length > 0 ? regions.join(', ') : 'None'}</Fact>
        <Fact term="Services">{components.length > 0 ? <ServiceList components={components} /> : 'None'}</Fact>
        <Fact term="Proposed by">{proposerOf(event) ?? 'unknown'}</Fact>
        <Fact term="Contact">{event.contactEmail === null ? 'None' : <a href={`mailto:${event.contactEmail}`}>{event.contactEmail}</a>}</Fact>
      </Facts>
      {latest && (
        <div class="latest-update">
          <p class="update-meta">
            Latest entry, <span class="status">{statusLabel(latest.status)}</span>, <Time at={latest.at} /> by {authorLabel(latest.author)}:
          </p>
          <p class="update-text" dangerouslySetInnerHTML={{ __html: updateTextHtml(latest) }} />
        </div>
      )}
    </article>
  );
}

import type { SignedInOperator } from '../../auth/sessions.js';
import type { StatusEvent } from '../../domain/event.js';
import { PENDING_REVIEW } from '../../domain/event-status.js';
import { atLeast, type Actor } from '../../domain/roles.js';
import type { SessionView } from '../../web/layout.js';

/** Where the proposals are: the read model (a narrow view of it, so that tests and views need no more). */
export interface ProposalSource {
  readonly proposals: ReadonlyMap<number, StatusEvent>;
}

/** The signed-in person as the rules see them: the session's subject is their actor id (`local:…`, `oidc:<sub>`). */
export function personOf(operator: SignedInOperator): Actor {
  return { id: operator.subject, role: operator.role };
}

/** Whether a person may see a proposal (issue 17): operators and admins review every one, a creator sees their own. */
export function maySeeProposal(event: StatusEvent, actor: Actor): boolean {
  return atLeast(actor.role, 'operator') || event.creator === actor.id;
}

/**
 * The maintenances pending review that a person sees, the newest proposal first: what operators
 * and admins have to decide, or a creator's own proposals still waiting. Cancelled proposals stay
 * out: nothing waits on them.
 */
export function reviewQueue(model: ProposalSource, actor: Actor): StatusEvent[] {
  return [...model.proposals.values()].filter((event) => event.status === PENDING_REVIEW && maySeeProposal(event, actor)).sort((a, b) => b.id - a.id);
}

/** What the pages' header shows of the signed-in person, with how many proposals wait for them. */
export function sessionViewOf(operator: SignedInOperator, model: ProposalSource): SessionView {
  const { name, csrf, subject, role } = operator;
  return { name, csrf, subject, role, reviews: reviewQueue(model, personOf(operator)).length };
}

import type { ScopeCatalog } from '../../domain/scope-form.js';
import { ProblemSummary, type FormState } from '../form-parts.js';
import { Layout, type PageContext } from '../layout.js';
import { ScopeFields } from '../scope-fields.js';

// The pages behind the links of subscribers' mails (issue 18). Each is reached with a signed
// token in its address, which is the only proof asked for: a mail client's one-click unsubscribe
// carries no cookie, and nobody else has the link. A GET never changes anything (mail scanners
// open links): each page has a button that POSTs to its own address.

interface ConfirmPageProps {
  context: PageContext;
  email: string;
  /** the scope in words */
  scope: string;
  /** the page's own address, which the button posts to */
  action: string;
}

/** A confirmation link opened: what the address will receive, and the button that confirms it. */
export function ConfirmPage({ context, email, scope, action }: ConfirmPageProps) {
  return (
    <Layout context={context} title="Confirm your subscription" section="subscription">
      <h1>Confirm your subscription</h1>
      <p>
        <strong>{email}</strong> will receive: {scope}.
      </p>
      <form method="post" action={action}>
        <button type="submit">Confirm the subscription</button>
      </form>
      <p class="muted">If you did not ask for this, close this page: nothing more will be sent to the address, and it is deleted within two days.</p>
    </Layout>
  );
}

/** The address is confirmed (now, or before): what it receives and where to change it. */
export function ConfirmedPage({ context, email, scope, manage, already }: { context: PageContext; email: string; scope: string; manage: string; already: boolean }) {
  return (
    <Layout context={context} title="Subscription confirmed" section="subscription">
      <h1>Subscription confirmed</h1>
      <p role="status">{already ? `${email} is subscribed already.` : `${email} is subscribed.`}</p>
      <p>It receives: {scope}.</p>
      <p>
        <a href={manage}>Change what you receive or unsubscribe</a> (every mail has this link too).
      </p>
    </Layout>
  );
}

interface ManagePageProps {
  context: PageContext;
  email: string;
  scope: string;
  state: FormState;
  catalog: ScopeCatalog;
  action: string;
  /** the unsubscribe link's address: its button posts there */
  unsubscribe: string;
  /** the scope was just changed */
  saved: boolean;
}

/** Change what an address receives, or unsubscribe it. */
export function ManagePage({ context, email, scope, state, catalog, action, unsubscribe, saved }: ManagePageProps) {
  return (
    <Layout context={context} title="Your subscription" section="subscription">
      <h1>Your subscription</h1>
      {saved && (
        <p class="notice" role="status">
          Saved. {email} now receives: {scope}.
        </p>
      )}
      {!saved && (
        <p>
          <strong>{email}</strong> receives: {scope}.
        </p>
      )}
      <h2>Change what you receive</h2>
      <ProblemSummary state={state} id="manage-problems" />
      <form class="operator-form subscribe-form" method="post" action={action} aria-describedby={state.problems.length > 0 ? 'manage-problems' : undefined}>
        <ScopeFields state={state} catalog={catalog} />
        <button type="submit">Save</button>
      </form>
      <h2>Unsubscribe</h2>
      <p>No more mails: the address is deleted at once.</p>
      <form method="post" action={unsubscribe}>
        <button type="submit">Unsubscribe</button>
      </form>
    </Layout>
  );
}

/** An unsubscribe link opened: the button that unsubscribes (its POST is RFC 8058's one click too). */
export function UnsubscribePage({ context, email, action }: { context: PageContext; email: string; action: string }) {
  return (
    <Layout context={context} title="Unsubscribe" section="subscription">
      <h1>Unsubscribe</h1>
      <p>
        Stop all mails to <strong>{email}</strong>? The address is deleted at once.
      </p>
      <form method="post" action={action}>
        <button type="submit">Unsubscribe</button>
      </form>
    </Layout>
  );
}

export function UnsubscribedPage({ context }: { context: PageContext }) {
  return (
    <Layout context={context} title="Unsubscribed" section="subscription">
      <h1>Unsubscribed</h1>
      <p role="status">The address is unsubscribed and deleted: no more mails will be sent to it.</p>
      <p>
        <a href="/">Back to the current status</a> · <a href="/subscribe">Subscribe again</a>
      </p>
    </Layout>
  );
}

/** A link that is not ours, has expired, or whose subscription is gone: what to do instead. */
export function LinkProblemPage({ context, title, message }: { context: PageContext; title: string; message: string }) {
  return (
    <Layout context={context} title={title} section="subscription">
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <a href="/subscribe">Subscribe again</a> · <a href="/">Back to the current status</a>
      </p>
    </Layout>
  );
}

import { CONTACT_EMAIL_MAX_LENGTH } from '../../domain/contact-email.js';
import type { ScopeCatalog } from '../../domain/scope-form.js';
import { Field, ProblemSummary, valueOf, type FormState } from '../form-parts.js';
import { Layout, type PageContext } from '../layout.js';
import { ScopeFields } from '../scope-fields.js';

/**
 * `/subscribe` (issue 18): an address, what to follow (preset from the page the reader came
 * from) and what to hear of. The form carries no token: anyone may ask for a confirmation mail
 * to any address, which is all a forged request could do, and the rate limits bound that.
 */
export function SubscribePage({ context, state, catalog, confirmHours }: { context: PageContext; state: FormState; catalog: ScopeCatalog; confirmHours: number }) {
  return (
    <Layout context={context} title="Subscribe by email" section="subscription">
      <h1>Subscribe by email</h1>
      <p>
        Get a mail when an incident, a maintenance or a notice starts, changes or ends in what you follow. We first send one mail to confirm the address; nothing else reaches it until
        you follow its link. Every mail has a link to change what you receive and one to unsubscribe.
      </p>
      <ProblemSummary state={state} id="subscribe-problems" />
      <form class="operator-form subscribe-form" method="post" action="/subscribe" aria-describedby={state.problems.length > 0 ? 'subscribe-problems' : undefined}>
        <Field state={state} name="email" id="email" label="Email address">
          {(describedBy, invalid) => (
            <input
              id="email"
              name="email"
              type="email"
              autocomplete="email"
              required
              size={40}
              maxLength={CONTACT_EMAIL_MAX_LENGTH}
              value={valueOf(state, 'email')}
              aria-describedby={describedBy}
              aria-invalid={invalid ? 'true' : undefined}
            />
          )}
        </Field>
        <ScopeFields state={state} catalog={catalog} />
        <button type="submit">Subscribe</button>
      </form>
      <p class="muted">
        We keep the address, what it follows and when it was confirmed, and nothing else. An address that is not confirmed within {confirmHours} hours is deleted, and so is
        one that unsubscribes.
      </p>
    </Layout>
  );
}

/**
 * The answer to every accepted form, whatever the address: new, waiting for its confirmation or
 * subscribed already (it then gets a mail with its own links instead). So the page tells no one
 * whether an address is subscribed.
 */
export function SubscribeAnswerPage({ context, confirmHours }: { context: PageContext; confirmHours: number }) {
  return (
    <Layout context={context} title="Check your mail" section="subscription">
      <h1>Check your mail</h1>
      <p role="status">If the address can receive our mails, a confirmation is on its way.</p>
      <p>Follow the link in it within {confirmHours} hours to start receiving news. Until then nothing else is sent to the address; if the mail does not arrive, look in the spam folder.</p>
      <p>
        <a href="/">Back to the current status</a>
      </p>
    </Layout>
  );
}

/** Too many requests from one client address: says nothing about any address asked for. */
export function SubscribeLimitPage({ context }: { context: PageContext }) {
  return (
    <Layout context={context} title="Too many requests" section="subscription">
      <h1>Too many requests</h1>
      <p role="alert">Too many subscription requests came from your network in the last hour. Please try again later.</p>
      <p>
        <a href="/">Back to the current status</a>
      </p>
    </Layout>
  );
}

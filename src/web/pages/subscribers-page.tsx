import { CsrfField } from '../form-parts.js';
import { Layout, type PageContext, type SessionView } from '../layout.js';
import { Time } from '../parts.js';

/** One address as operators see it. */
export interface SubscriberRow {
  id: number;
  email: string;
  confirmed: boolean;
  /** the scope in words */
  scope: string;
  createdAt: number;
}

/** How many addresses follow one scope. */
export interface ScopeCount {
  scope: string;
  confirmed: number;
  pending: number;
}

interface SubscribersPageProps {
  context: PageContext;
  operator: SessionView;
  subscribers: readonly SubscriberRow[];
  /** by scope, the most followed first */
  counts: readonly ScopeCount[];
  /** SMTP is configured: people can subscribe and mails go out */
  emailEnabled: boolean;
}

/**
 * `/subscribers` (issue 18), for operators and admins only: how many addresses follow what, and
 * the addresses themselves with a button to remove one (which deletes it, as unsubscribing does).
 */
export function SubscribersPage({ context, operator, subscribers, counts, emailEnabled }: SubscribersPageProps) {
  const confirmed = subscribers.filter((subscriber) => subscriber.confirmed).length;
  return (
    <Layout context={context} operator={operator} title="Subscribers" section="operator" wide>
      <h1>Email subscribers</h1>
      {!emailEnabled && <p class="notice">Email is not configured (SD_SMTP_URL and SD_MAIL_FROM): nobody can subscribe, and no mail goes out.</p>}
      <p>
        {subscribers.length === 1 ? '1 address' : `${subscribers.length} addresses`}: {confirmed} confirmed, {subscribers.length - confirmed} waiting for their confirmation. The addresses are
        shown to operators and admins only; every removal is in the audit log.
      </p>
      {subscribers.length > 0 && (
        <>
          <div class="table-wrap" tabIndex={0} role="region" aria-label="Subscribers by scope">
            <table>
              <caption>By what they follow</caption>
              <thead>
                <tr>
                  <th scope="col">Follows</th>
                  <th scope="col">Confirmed</th>
                  <th scope="col">Pending</th>
                </tr>
              </thead>
              <tbody>
                {counts.map((count) => (
                  <tr>
                    <th scope="row">{count.scope}</th>
                    <td>{count.confirmed}</td>
                    <td>{count.pending}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div class="table-wrap" tabIndex={0} role="region" aria-label="Subscribed addresses">
            <table>
              <caption>Addresses, oldest first</caption>
              <thead>
                <tr>
                  <th scope="col">Number</th>
                  <th scope="col">Address</th>
                  <th scope="col">State</th>
                  <th scope="col">Follows</th>
                  <th scope="col">Since</th>
                  <th scope="col">Remove</th>
                </tr>
              </thead>
              <tbody>
                {subscribers.map((subscriber) => (
                  <tr>
                    <td>{subscriber.id}</td>
                    <td>{subscriber.email}</td>
                    <td>{subscriber.confirmed ? 'confirmed' : 'pending'}</td>
                    <td>{subscriber.scope}</td>
                    <td>
                      <Time at={subscriber.createdAt} />
                    </td>
                    <td>
                      <form method="post" action={`/subscribers/${subscriber.id}/remove`} class="inline-form">
                        <CsrfField token={operator.csrf} />
                        <button type="submit" class="secondary">
                          Remove<span class="visually-hidden"> {subscriber.email}</span>
                        </button>
                      </form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Layout>
  );
}

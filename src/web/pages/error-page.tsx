import type { PageContext, SessionView } from '../layout.js';
import { Layout } from '../layout.js';

/** What a browser is shown when a request fails: the status in words, and the way back (with the signed-in header, when known). */
export function ErrorPage({ context, title, message, operator }: { context: PageContext; title: string; message: string; operator?: SessionView | undefined }) {
  return (
    <Layout context={context} title={title} section="event" operator={operator}>
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <a href="/">Back to the current status</a> · <a href="/history">History</a>
      </p>
    </Layout>
  );
}

import type { PageContext } from '../layout.js';
import { Layout } from '../layout.js';

/** What a browser is shown when a request fails: the status in words, and the way back. */
export function ErrorPage({ context, title, message }: { context: PageContext; title: string; message: string }) {
  return (
    <Layout context={context} title={title} section="event">
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <a href="/">Back to the current status</a> · <a href="/history">History</a>
      </p>
    </Layout>
  );
}

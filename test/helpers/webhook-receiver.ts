import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { TestContext } from 'node:test';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  /** when it arrived, on the receiver's clock (performance.now()) */
  at: number;
}

/**
 * A real HTTP receiver on loopback, as a customer's endpoint: it keeps what it got and answers
 * with `answer` (200 unless a test changes it; `hang` never answers).
 */
export async function startWebhookReceiver(t: TestContext): Promise<{ url: string; received: ReceivedWebhook[]; answer: { status: number; hang: boolean } }> {
  const received: ReceivedWebhook[] = [];
  const answer = { status: 200, hang: false };
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body, at: performance.now() });
      if (answer.hang) return;
      response.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.status < 300 ? 'ok' : 'nope');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/hook`, received, answer };
}

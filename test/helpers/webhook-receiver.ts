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
 * with `answer` (200 unless a test changes it, after `delayMs`; `hang` never answers), counting
 * the requests it holds at once (`open`).
 */
export async function startWebhookReceiver(
  t: TestContext,
): Promise<{ url: string; received: ReceivedWebhook[]; answer: { status: number; hang: boolean; delayMs: number }; open: { now: number; most: number } }> {
  const received: ReceivedWebhook[] = [];
  const answer = { status: 200, hang: false, delayMs: 0 };
  const open = { now: 0, most: 0 };
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body, at: performance.now() });
      open.most = Math.max(open.most, ++open.now);
      if (answer.hang) return;
      const { status, delayMs } = answer;
      setTimeout(() => {
        open.now--;
        response.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'nope');
      }, delayMs);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/hook`, received, answer, open };
}

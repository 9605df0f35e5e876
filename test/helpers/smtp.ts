// A real SMTP server on loopback (the smtp-server package), as a relay the notifier hands mails
// to, with a small MIME reader for what nodemailer writes: headers, and the text and HTML parts
// of a multipart/alternative body (quoted-printable or base64, UTF-8).
import type { TestContext } from 'node:test';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** the envelope's recipients */
  to: string[];
  /** header names in lower case; a repeated header keeps its last value */
  headers: Map<string, string>;
  subject: string;
  text: string;
  html: string;
  /** the message as it came, after the DATA command */
  raw: string;
}

/** An SMTP reply a test makes the server give instead of accepting: 4xx try later, 5xx never. */
export interface Refusal {
  code: number;
  message: string;
}

export interface TestSmtpServer {
  /** `smtp://127.0.0.1:<port>`: SD_SMTP_URL of the server */
  url: string;
  /** every mail accepted, in order of arrival */
  mails: ReceivedMail[];
  /** every message that was sent, the refused ones too (their DATA came before the refusal) */
  attempts: ReceivedMail[];
  /** set to refuse the next recipients or messages; undefined accepts */
  refuse: { rcpt?: Refusal | undefined; data?: Refusal | undefined };
  /** the mails to an address, in order */
  mailsTo(address: string): ReceivedMail[];
}

function smtpError({ code, message }: Refusal): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

/** Starts the server on a free loopback port; it stops when the test ends. No TLS, no authentication. */
export async function startSmtpServer(t: TestContext): Promise<TestSmtpServer> {
  const mails: ReceivedMail[] = [];
  const attempts: ReceivedMail[] = [];
  const refuse: TestSmtpServer['refuse'] = {};
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    // No DNS: a test machine may have no resolver, and each lookup would wait for its timeout.
    disableReverseLookup: true,
    // The notifier's pooled connection may still be open when the test ends: close it at once.
    closeTimeout: 100,
    logger: false,
    onRcptTo(_address, _session, callback) {
      callback(refuse.rcpt ? smtpError(refuse.rcpt) : null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const mail = parseMail(Buffer.concat(chunks).toString('utf8'), session.envelope.rcptTo.map((rcpt) => rcpt.address));
        attempts.push(mail);
        if (refuse.data) return callback(smtpError(refuse.data));
        mails.push(mail);
        callback(null);
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.server.address() as { port: number };
  return { url: `smtp://127.0.0.1:${port}`, mails, attempts, refuse, mailsTo: (address) => mails.filter((mail) => mail.to.includes(address)) };
}

/** Headers (unfolded) and body of a MIME entity. */
function splitEntity(raw: string): { headers: Map<string, string>; body: string } {
  const normalised = raw.replace(/\r\n/g, '\n');
  const end = normalised.indexOf('\n\n');
  const head = end < 0 ? normalised : normalised.slice(0, end);
  const body = end < 0 ? '' : normalised.slice(end + 2);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function decodeBody(body: string, encoding: string | undefined): string {
  switch ((encoding ?? '').toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    case 'quoted-printable': {
      const bytes = body.replace(/=\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_match, hex: string) => `%${hex}`);
      // Decode the escapes as UTF-8 bytes; a lone '%' of the text itself must not be read as one.
      return decodeURIComponent(bytes.replace(/%(?![0-9A-Fa-f]{2})/g, '%25'));
    }
    default:
      return body;
  }
}

/** `=?UTF-8?Q?…?=` and `=?UTF-8?B?…?=` words of a header (RFC 2047). */
function decodeWords(value: string): string {
  return value.replace(/=\?utf-8\?([qb])\?([^?]*)\?=\s*/gi, (_match, kind: string, text: string) =>
    kind.toLowerCase() === 'b' ? Buffer.from(text, 'base64').toString('utf8') : decodeBody(text.replace(/_/g, ' '), 'quoted-printable'),
  );
}

function parseMail(raw: string, to: string[]): ReceivedMail {
  const { headers, body } = splitEntity(raw);
  const parts: { type: string; content: string }[] = [];
  const collect = (entityHeaders: Map<string, string>, entityBody: string) => {
    const type = entityHeaders.get('content-type') ?? 'text/plain';
    const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
    if (type.toLowerCase().startsWith('multipart/') && boundary) {
      const sections = entityBody.split(`--${boundary}`).slice(1);
      for (const section of sections) {
        if (section.startsWith('--')) break;
        const part = splitEntity(section.replace(/^\n/, ''));
        collect(part.headers, part.body);
      }
      return;
    }
    parts.push({ type: type.toLowerCase(), content: decodeBody(entityBody, entityHeaders.get('content-transfer-encoding')) });
  };
  collect(headers, body);
  const part = (kind: string) => parts.find((candidate) => candidate.type.startsWith(kind))?.content ?? '';
  return { to, headers, subject: decodeWords(headers.get('subject') ?? ''), text: part('text/plain'), html: part('text/html'), raw };
}

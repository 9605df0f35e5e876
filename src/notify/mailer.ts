import nodemailer from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import type { MailContent } from '../web/mails.js';

export interface OutgoingMail extends MailContent {
  to: string;
  /** the delivery's idempotency key, as the Message-ID: a repeat after a crash is recognisable */
  messageId: string;
  headers: Record<string, string>;
}

export type MailOutcome = { ok: true } | { ok: false; error: string; final: boolean };

export interface Mailer {
  send(mail: OutgoingMail): Promise<MailOutcome>;
  close(): void;
}

/**
 * Mail through an SMTP relay (SD_SMTP_URL: `smtp://user:pass@host:587`, `smtps://…:465`), from
 * SD_MAIL_FROM. The relay's permanent refusals (5xx: no such mailbox) end the delivery; anything
 * else is tried again later. Connections are pooled and each step is bounded, so a slow relay
 * holds a sending slot, never the process.
 */
export function smtpMailer(url: string, from: string, timeoutMs = 30_000): Mailer {
  const settings = new URL(url);
  const pooled: SMTPPool.Options = {
    pool: true,
    maxConnections: 4,
    host: settings.hostname,
    port: settings.port ? Number(settings.port) : settings.protocol === 'smtps:' ? 465 : 587,
    secure: settings.protocol === 'smtps:',
    // A relay on loopback or inside the network may offer no TLS; STARTTLS is used whenever offered.
    ...(settings.username ? { auth: { user: decodeURIComponent(settings.username), pass: decodeURIComponent(settings.password) } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    disableFileAccess: true,
    disableUrlAccess: true,
  };
  const transport = nodemailer.createTransport(pooled);
  return {
    async send(mail) {
      try {
        await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, messageId: mail.messageId, headers: mail.headers });
        return { ok: true };
      } catch (error) {
        const { responseCode, message } = error as { responseCode?: number; message?: string };
        // The relay's own words can repeat the address: keep the code and the first words only.
        const said = responseCode === undefined ? String(message ?? error).split('\n')[0]?.slice(0, 200) : `SMTP ${responseCode}`;
        return { ok: false, error: said ?? 'the mail was not accepted', final: responseCode !== undefined && responseCode >= 500 };
      }
    },
    close: () => transport.close(),
  };
}

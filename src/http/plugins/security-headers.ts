import type { FastifyReply, FastifyRequest } from 'fastify';
import { isSecure } from './operator-session.js';

/** No inline script, no foreign origin, no framing (the pages never need any of it). */
export const PAGE_SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
} as const;

/** A year, subdomains included: once a browser has seen HTTPS here, it never tries plain HTTP. */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000; includeSubDomains';

/**
 * What a browser can land on and render: a page, a redirect it follows, a refusal it shows.
 * JSON, feeds and images only need nosniff (and HSTS); their own policies (the badges') stay.
 */
function browserMayLand(reply: FastifyReply): boolean {
  const status = reply.statusCode;
  const redirect = status >= 300 && status < 400 && reply.hasHeader('location');
  return redirect || status === 401 || status === 403 || String(reply.getHeader('content-type') ?? '').startsWith('text/html');
}

/**
 * The pages' headers when their forms may also lead to `formOrigins`: a browser applies
 * form-action to every redirect that follows a form, and the logout form ends at the single
 * sign-on provider.
 */
function pageSecurityHeaders(formOrigins: readonly string[]): Record<string, string> {
  if (formOrigins.length === 0) return PAGE_SECURITY_HEADERS;
  const policy = PAGE_SECURITY_HEADERS['content-security-policy'].replace("form-action 'self'", `form-action 'self' ${formOrigins.join(' ')}`);
  return { ...PAGE_SECURITY_HEADERS, 'content-security-policy': policy };
}

/**
 * The security headers of every answer, set in one place so that no page, redirect or refusal
 * goes without them. A policy a route set itself is kept (the badges'); the API docs' own
 * hook runs after the answer-headers hook and puts theirs in place of ours.
 */
export function securityHeaders(publicUrl: string | undefined, formOrigins: readonly string[]): (request: FastifyRequest, reply: FastifyReply) => void {
  const pageHeaders = Object.entries(pageSecurityHeaders(formOrigins));
  return (request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    if (isSecure(request, publicUrl)) reply.header('strict-transport-security', STRICT_TRANSPORT_SECURITY);
    if (browserMayLand(reply)) {
      for (const [name, value] of pageHeaders) if (!reply.hasHeader(name)) reply.header(name, value);
    }
  };
}

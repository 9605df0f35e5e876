import { normalizeIP } from '@fastify/rate-limit';

/**
 * A client as the login limits and the `/auth` hand-off count it: an IPv6 address by its /64, as
 * one host may use any address in it (and its privacy addresses change), an IPv4-mapped one as
 * IPv4; the same rule @fastify/rate-limit keys by.
 */
export function clientOf(address: string): string {
  return normalizeIP(address);
}

/**
 * An address in the syntax of RFC 5322 §3.4.1 (`addr-spec`), as a person types it: a local part
 * of dot-atoms or one quoted string, `@`, a domain of dot-atoms or a bracketed literal. No display
 * name, no comments or folding whitespace (obsolete or never typed), at most 254 characters (RFC
 * 5321's path limit), and a domain with at least one dot, since nobody can be mailed at a bare
 * host name from outside.
 */
const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]";
const DOT_ATOM = `${ATEXT}+(?:\\.${ATEXT}+)*`;
// qtext and quoted-pair: printable ASCII, space, and escaped printable characters or space.
const QUOTED_STRING = '"(?:[\\x20\\x21\\x23-\\x5B\\x5D-\\x7E]|\\\\[\\x20-\\x7E])*"';
const DOMAIN_LITERAL = '\\[[\\x21-\\x5A\\x5E-\\x7E]*\\]';
const ADDR_SPEC = new RegExp(`^(?:${DOT_ATOM}|${QUOTED_STRING})@(?:${DOT_ATOM}|${DOMAIN_LITERAL})$`);

export const CONTACT_EMAIL_MAX_LENGTH = 254;

export function isContactEmail(value: string): boolean {
  if (value.length > CONTACT_EMAIL_MAX_LENGTH || !ADDR_SPEC.test(value)) return false;
  const domain = value.slice(value.lastIndexOf('@') + 1);
  return domain.startsWith('[') || domain.includes('.');
}

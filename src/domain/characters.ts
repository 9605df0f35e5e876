/**
 * The characters no text of ours may hold: those XML 1.0 forbids (§2.2, `Char`), since any text
 * can end up in a feed or a badge. They are the C0 controls but tab, line feed and carriage
 * return (browsers send a text area's line breaks as CRLF), which include U+0000, which
 * PostgreSQL cannot store at all; lone surrogates, which UTF-8 cannot encode; and the
 * noncharacters U+FFFE and U+FFFF. With the `u` flag a surrogate pair is one code point, so only
 * a lone surrogate matches its range.
 */
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/u;
const EVERY_FORBIDDEN = new RegExp(FORBIDDEN.source, 'gu');

/** The first character a text may not hold, written `U+0000`; undefined when there is none. */
export function forbiddenCharacterIn(text: string): string | undefined {
  const code = FORBIDDEN.exec(text)?.[0].charCodeAt(0);
  return code === undefined ? undefined : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The text with each of those characters replaced (by default: removed), for texts stored before they were refused. */
export function withoutForbiddenCharacters(text: string, replacement = ''): string {
  return text.replace(EVERY_FORBIDDEN, replacement);
}

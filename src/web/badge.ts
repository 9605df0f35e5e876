import { STATE_LABELS, type State } from '../domain/status-overview.js';
import { withoutForbiddenCharacters } from '../domain/characters.js';
import { escapeHtml } from '../domain/texts.js';

export interface BadgeInput {
  /** the left, grey part: the site, a region or a component */
  label: string;
  /** the right part, usually STATE_LABELS[state] */
  message: string;
  state: State;
}

/** The left part's grey and each state's colour; white text on each has a contrast of 4.5:1 or more (WCAG AA). */
export const LABEL_COLOUR = '#555555';
export const STATE_COLOURS: Record<State, string> = {
  operational: '#1a7f37',
  maintenance: '#0969da',
  minor: '#9a6700',
  major: '#c2410c',
  outage: '#d1242f',
};

/** Advance widths in px of 11px Verdana (DejaVu Sans is close), rounded to a tenth; others default. */
const WIDTHS: Record<string, number> = {
  ' ': 3.9, '!': 4.3, '"': 5.0, '#': 9.0, $: 7.0, '%': 11.9, '&': 7.7, "'": 3.0, '(': 4.9, ')': 4.9, '*': 7.0, '+': 9.0,
  ',': 3.5, '-': 4.7, '.': 3.5, '/': 4.9, ':': 4.7, ';': 4.7, '<': 9.0, '=': 9.0, '>': 9.0, '?': 5.9, '@': 11.0,
  '[': 4.9, '\\': 4.9, ']': 4.9, '^': 9.0, _: 7.0, '`': 7.0, '{': 7.0, '|': 4.9, '}': 7.0, '~': 9.0,
  A: 7.5, B: 7.5, C: 7.7, D: 8.5, E: 7.0, F: 6.3, G: 8.5, H: 8.3, I: 4.6, J: 5.0, K: 7.6, L: 6.1, M: 9.3,
  N: 8.2, O: 8.7, P: 6.6, Q: 8.7, R: 7.6, S: 7.5, T: 6.8, U: 8.0, V: 7.5, W: 10.9, X: 7.5, Y: 6.8, Z: 7.5,
  a: 6.7, b: 6.8, c: 5.7, d: 6.8, e: 6.6, f: 3.8, g: 6.8, h: 7.0, i: 3.0, j: 3.8, k: 6.3, l: 3.0, m: 10.6,
  n: 7.0, o: 6.7, p: 6.8, q: 6.8, r: 4.7, s: 5.7, t: 4.3, u: 7.0, v: 6.3, w: 9.0, x: 6.3, y: 6.3, z: 5.6,
};
const DIGIT_WIDTH = 7.0;
const DEFAULT_WIDTH = 7.0;
/** CJK and other full-width characters take about a whole em */
const WIDE_WIDTH = 11.0;
const PADDING = 5;
const HEIGHT = 20;

/** The approximate width in px of a text set in 11px Verdana. */
export function textWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code >= 0x30 && code <= 0x39) width += DIGIT_WIDTH;
    else if (WIDTHS[char] !== undefined) width += WIDTHS[char];
    else if (code >= 0x1100) width += WIDE_WIDTH;
    else width += DEFAULT_WIDTH;
  }
  return width;
}

/**
 * A status badge in the flat "shields" style: the label on grey, the message on the state's
 * colour, white text with a faint shadow. Pure; every text is XML-escaped.
 */
export function renderBadge(input: BadgeInput): string {
  // Characters XML 1.0 forbids even escaped become U+FFFD: names in the catalog are not checked as requests are.
  const label = withoutForbiddenCharacters(input.label, '\uFFFD');
  const message = withoutForbiddenCharacters(input.message, '\uFFFD');
  const { state } = input;
  const labelText = Math.round(textWidth(label) * 10);
  const messageText = Math.round(textWidth(message) * 10);
  const labelWidth = Math.round(labelText / 10) + 2 * PADDING;
  const messageWidth = Math.round(messageText / 10) + 2 * PADDING;
  const width = labelWidth + messageWidth;
  // Text is drawn at 10× scale (font-size 110, transform scale(.1)) for sub-pixel positions.
  const labelX = labelWidth * 5;
  const messageX = (labelWidth + messageWidth / 2) * 10;
  const title = escapeHtml(`${label}: ${message}`);
  const labelEscaped = escapeHtml(label);
  const messageEscaped = escapeHtml(message);
  const colour = STATE_COLOURS[state];
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${HEIGHT}" role="img" aria-label="${title}">` +
    `<title>${title}</title>` +
    `<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>` +
    `<clipPath id="r"><rect width="${width}" height="${HEIGHT}" rx="3" fill="#fff"/></clipPath>` +
    `<g clip-path="url(#r)">` +
    `<rect width="${labelWidth}" height="${HEIGHT}" fill="${LABEL_COLOUR}"/>` +
    `<rect x="${labelWidth}" width="${messageWidth}" height="${HEIGHT}" fill="${colour}"/>` +
    `<rect width="${width}" height="${HEIGHT}" fill="url(#s)"/>` +
    `</g>` +
    `<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" text-rendering="geometricPrecision" font-size="110">` +
    `<text aria-hidden="true" x="${labelX}" y="150" fill="#010101" fill-opacity=".3" transform="scale(.1)" textLength="${labelText}">${labelEscaped}</text>` +
    `<text aria-hidden="true" x="${labelX}" y="140" transform="scale(.1)" fill="#fff" textLength="${labelText}">${labelEscaped}</text>` +
    `<text aria-hidden="true" x="${messageX}" y="150" fill="#010101" fill-opacity=".3" transform="scale(.1)" textLength="${messageText}">${messageEscaped}</text>` +
    `<text aria-hidden="true" x="${messageX}" y="140" transform="scale(.1)" fill="#fff" textLength="${messageText}">${messageEscaped}</text>` +
    `</g></svg>`
  );
}

/** The badge of a state with its usual wording. */
export function stateBadge(label: string, state: State): string {
  return renderBadge({ label, message: STATE_LABELS[state], state });
}

import assert from 'node:assert/strict';
import type { TestApp } from './app.js';

/** A payload that runs script if a page ever renders user text as HTML, and its escaped form. */
export const XSS = '<img src=x onerror=alert(1)>';
export const XSS_ESCAPED = '&lt;img src=x onerror=alert(1)>';

/** A page as a browser asks for it; it must be a 200 HTML answer. */
export async function htmlPage(api: TestApp, url: string): Promise<string> {
  const response = await api.app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
  assert.equal(response.statusCode, 200, `${url}: ${response.body.slice(0, 200)}`);
  assert.match(String(response.headers['content-type']), /^text\/html/);
  return response.body;
}

/** The text of a page without tags, whitespace folded: what a reader sees. */
export function text(html: string): string {
  return html
    .replace(/<svg[\s\S]*?<\/svg>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

import type { ComponentChildren } from 'preact';
import type { PageContext } from './layout.js';

/**
 * The way from a public page to `/subscribe`, preset to what the reader looks at (issue 18). Only
 * when email is configured: otherwise the page renders exactly as it would without the feature.
 * A plain link, the same for every reader, so the page stays kept for everyone.
 */
export function SubscribeLink({ context, preset, children }: { context: PageContext; preset: URLSearchParams; children: ComponentChildren }) {
  if (!context.subscribe) return null;
  const query = preset.toString();
  return (
    <p class="subscribe-link">
      <a href={query === '' ? '/subscribe' : `/subscribe?${query}`}>{children}</a>
    </p>
  );
}

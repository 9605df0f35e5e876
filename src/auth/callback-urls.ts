/**
 * A callback URL in the one form it is compared in (SD_AUTH_CALLBACK_URLS): an absolute http(s)
 * URL's origin and path. Undefined for anything else, and for a URL with a query, a fragment or a
 * user, so that nothing can ride along past the allow-list to the page it redirects to.
 */
export function callbackUrlOf(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const normal = `${url.origin}${url.pathname}`;
  // href keeps a bare "?" or "#", and a user; origin and path do not.
  return url.href === normal ? normal : undefined;
}

/**
 * The dashboard's address for links and redirects: SD_PUBLIC_URL when set, else the request's own
 * origin. Never cache what is built from the latter: it comes from the client's Host header.
 */
export function baseUrl(publicUrl: string | undefined, request: { protocol: string; host: string }): string {
  if (publicUrl) return publicUrl.replace(/\/$/, '');
  try {
    return new URL(`${request.protocol}://${request.host}`).origin;
  } catch {
    return 'http://localhost';
  }
}

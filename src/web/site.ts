/** What an install may brand: the name in titles and the header, and a logo. */
export interface SiteSettings {
  title: string;
  /** a logo file's bytes and type, served at /assets/logo; unset, the built-in mark is used */
  logo?: { bytes: Buffer; type: string } | undefined;
}

export const DEFAULT_SITE: SiteSettings = { title: 'Status Dashboard' };

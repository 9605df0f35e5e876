import type { PageOptions } from '../deps.js';

/** What the subscription routes need beyond a page's: the key of the links in subscribers' mails. */
export interface SubscriptionRouteOptions extends PageOptions {
  /** auth/subscription-links.ts `subscriptionLinkKey(secretKey)`; also keys the rate limits' hashes */
  linkKey: Buffer;
}

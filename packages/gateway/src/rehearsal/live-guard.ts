// The rehearsal plays a customer and writes into the account it is given: never on ESPM's live web
// services, where that account would be a utility's real one and the customers real people.

const LIVE_HOST = 'portfoliomanager.energystar.gov';

/** Whether a web services URL is ESPM's live environment (/ws/ on portfoliomanager.energystar.gov). */
export function isLiveEspm(baseUrl: string): boolean {
  const url = new URL(baseUrl);
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  return (host === LIVE_HOST || host.endsWith(`.${LIVE_HOST}`)) && /^\/ws(\/|$)/i.test(url.pathname);
}

/** Where the customer's Test web UI is, unless --web-url says: /pmtest beside the web services' /wstest/. */
export function defaultWebUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  const base = url.pathname.replace(/\/[^/]*\/?$/, '');
  return `${url.origin}${base}/pmtest`;
}

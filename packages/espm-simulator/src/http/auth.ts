// HTTP Basic, the only authentication ESPM has: the username and password of an ESPM account.
import type { AccountRecord } from '../state/model.ts';
import type { SimStore } from '../state/store.ts';

export interface Credentials {
  username: string;
  password: string;
}

export function basicCredentials(header: string | undefined): Credentials | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function authenticate(store: SimStore, header: string | undefined): AccountRecord | undefined {
  const c = basicCredentials(header);
  if (!c) return undefined;
  const account = store.accountByUsername(c.username);
  return account?.username === c.username && account.password === c.password ? account : undefined;
}

/** The provider's calls are the ones faults and counters are about; the password is not checked here. */
export function claimsProvider(store: SimStore, header: string | undefined): boolean {
  return basicCredentials(header)?.username === store.provider.username;
}

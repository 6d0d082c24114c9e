// One error type for every refusal, so the XML routes answer ESPM's envelope and the JSON routes
// the same text. Messages quoted in API.md §7 are ESPM's; every other text is invented (README).
import type { EspmErrorDetail } from './espm.ts';

/** EPA's error page: -200 is an application (business) error, -100 a request body that fails the schema. */
export const GENERIC_ERROR = '-200';
export const SCHEMA_ERROR = '-100';

export class SimError extends Error {
  override name = 'SimError';
  readonly errors: EspmErrorDetail[];
  constructor(
    readonly status: number,
    descriptions: string | string[],
    readonly headers: Record<string, string> = {},
    errorNumber: string = GENERIC_ERROR,
  ) {
    const list = Array.isArray(descriptions) ? descriptions : [descriptions];
    super(list.join(' '));
    this.errors = list.map((d) => ({ errorNumber, errorDescription: d }));
  }

  /** A request body that is not the document ESPM's schema describes: 400 with -100. */
  static schema(description: string): SimError {
    return new SimError(400, description, {}, SCHEMA_ERROR);
  }
}

export const MESSAGES = {
  // Seen in ESPM (API.md §7).
  notConnected: 'You are not connected to this account.',
  requestGone: "The pending request doesn't exist or has been fulfilled.",
  accessDenied: 'Access Denied',
  // Invented.
  unauthorized: 'Unauthorized: send the username and password of an ESPM account with HTTP Basic.',
  providerOnly: 'Access Denied: only the web services provider account may call this.',
  notFound: (what: string) => `${what} does not exist.`,
  rateLimited: 'Too many requests. Please slow down and retry later.',
  maintenance: 'Portfolio Manager is down for scheduled maintenance. Please retry later.',
  serverError: 'An unexpected error occurred. Please try again later.',
} as const;

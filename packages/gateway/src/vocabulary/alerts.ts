// The alerts an operator receives (observability/alerts.ts) and why each one fires or clears, as values
// with their parameters: worded in French and English by one exhaustive function
// (observability/alert-text.ts), never built as a sentence and parsed back. Errors and routes are kept
// as ESPM or the service gave them, times as ISO 8601 (UTC), so the operator can search the log for them.

export type AlertName = 'service-failing' | 'espm-unauthorized' | 'espm-unavailable' | 'billing-stale';
export type AlertStatus = 'firing' | 'resolved';

export type AlertCause =
  /** A service (its runCycle name) failed `failures` runs in a row; its last error as it came, if any. */
  | { alert: 'service-failing'; status: 'firing'; service: string; failures: number; error: string | null }
  | { alert: 'service-failing'; status: 'resolved'; service: string }
  /** ESPM answered 401 to the provider's credentials on this route. */
  | { alert: 'espm-unauthorized'; status: 'firing'; route: string }
  | { alert: 'espm-unauthorized'; status: 'resolved'; route: string }
  /** ESPM answered `answers` times in a row that it is down or refusing every call, lastly this. */
  | {
      alert: 'espm-unavailable';
      status: 'firing';
      answers: number;
      httpStatus: number | null;
      route: string;
    }
  | { alert: 'espm-unavailable'; status: 'resolved'; httpStatus: number; route: string }
  /**
   * No billing import finished since `since`: the last one's end, or this instance's start when there
   * was none (`lastImport` null); `ageHours` (whole hours) is more than the allowed `maxHours`.
   */
  | {
      alert: 'billing-stale';
      status: 'firing';
      lastImport: string | null;
      since: string;
      ageHours: number;
      maxHours: number;
    }
  | { alert: 'billing-stale'; status: 'resolved'; lastImport: string };

// What a meter link's last consumption run wants the operator to know, beside its status: values
// with their parameters, stored as JSON (meter_link.notice) and worded by the console.

export type LinkNotice =
  /** Billed periods that start before the ESPM meter's first bill date, which ESPM would refuse. */
  | { code: 'periods-before-first-bill-date'; periods: number }
  /** A notice stored as "code:n" text, before notices were stored as values. */
  | { code: 'legacy-text'; text: string };

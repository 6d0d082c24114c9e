// What the rehearsal asks of its customer: the guide's steps a customer makes in ESPM (connect and
// accept the terms, share the property and the meters with the four answers, lower a meter to Read
// Only). Three ways to play them: ESPM's Test web UI in a headless browser, EPA's Test-only services,
// or a person told what to type.
import type { AccessLevel } from '@gaz-espm/espm';

export type CustomerSideName = 'browser' | 'api' | 'person';
export const CUSTOMER_SIDES: readonly CustomerSideName[] = ['browser', 'api', 'person'];

export type Language = 'fr' | 'en';

export interface ProviderAccount {
  accountId: string;
  username: string;
}

/** The guide's four answers, as the customer types them. */
export interface MeterAnswers {
  accountNumber: string;
  invoiceNumber: string;
  meterNumber: string;
  initialLoad: string;
}

export interface MeterToShare {
  meterId: string;
  name: string;
  answers: MeterAnswers;
}

export interface PropertyToShare {
  propertyId: string;
  name: string;
  meters: MeterToShare[];
}

/** What a customer side shows of a step: screenshots (browser) and what it did. */
export interface SideEvidence {
  screenshots: Array<{ title: string; png: Buffer }>;
  notes: string[];
}

/** A customer side's step that failed, with what it showed until then (the browser's last screenshot). */
export class SideStepError extends Error {
  constructor(
    message: string,
    readonly evidence: SideEvidence,
  ) {
    super(message);
  }
}

export const noEvidence = (...notes: string[]): SideEvidence => ({ screenshots: [], notes });

export interface CustomerSide {
  readonly name: CustomerSideName;
  /** How long the rehearsal waits for ESPM to show what this side did (a person is slower than a script). */
  readonly patienceMs: number;
  connect(provider: ProviderAccount): Promise<SideEvidence>;
  share(provider: ProviderAccount, property: PropertyToShare, level: AccessLevel): Promise<SideEvidence>;
  /** Lowers an accepted meter share to Read Only; absent where the side cannot. */
  makeReadOnly?(
    provider: ProviderAccount,
    property: PropertyToShare,
    meter: MeterToShare,
  ): Promise<SideEvidence>;
  close(): Promise<void>;
}

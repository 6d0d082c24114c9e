// ESPM's documents as domain types. Ids and decimals stay text: ESPM's ids are xs:long
// (beyond 2^53 is legal) and usage is xs:decimal, so neither may lose digits or leading zeros.

export type AccessLevel = 'Read' | 'Read Write';
export const ACCESS_LEVELS: readonly AccessLevel[] = ['Read', 'Read Write'];

export type SharingAction = 'Accept' | 'Reject';

export interface Link {
  id?: string;
  link: string;
  httpMethod?: string;
  linkDescription?: string;
  hint?: string;
}

export interface Audit {
  createdBy?: string;
  createdByAccountId?: string;
  createdDate?: string;
  lastUpdatedBy?: string;
  lastUpdatedByAccountId?: string;
  lastUpdatedDate?: string;
}

export interface Address {
  address1: string;
  address2?: string;
  city: string;
  county?: string;
  postalCode: string;
  state?: string;
  otherState?: string;
  country: string;
}

export interface AccountInfo {
  firstName: string;
  lastName: string;
  email: string;
  address: Address;
  jobTitle: string;
  phone: string;
  organization?: string;
}

/** A value the customer typed for one of the provider's custom fields; ESPM keys it by the field's name. */
export interface CustomFieldValue {
  name: string;
  value: string;
}

export interface GrossFloorArea {
  units: 'Square Feet' | 'Square Meters';
  value: string;
}

export interface PropertyInfo {
  name?: string;
  primaryFunction?: string;
  constructionStatus?: string;
  grossFloorArea?: GrossFloorArea;
  yearBuilt?: string;
  address?: Address;
  numberOfBuildings?: string;
  isFederalProperty: boolean;
  occupancyPercentage: string;
  notes?: string;
  accessLevel?: AccessLevel;
  audit?: Audit;
}

export interface Meter {
  id?: string;
  type: string;
  name: string;
  metered?: boolean;
  unitOfMeasure: string;
  firstBillDate: string;
  inUse: boolean;
  inactiveDate?: string;
  otherDescription?: string;
  /** The caller's own access level to this meter. */
  accessLevel?: AccessLevel;
  aggregateMeter?: boolean;
  audit?: Audit;
}

export interface PendingConnection {
  accountId: string;
  username: string;
  customFields: CustomFieldValue[];
  accountInfo: AccountInfo;
  connectionAudit?: Audit;
}

export interface PendingPropertyShare {
  propertyId: string;
  customFields: CustomFieldValue[];
  accessLevel: AccessLevel;
  /** The account that sent the share. */
  accountId: string;
  username: string;
  propertyInfo: PropertyInfo;
  shareAudit?: Audit;
}

export interface PendingMeterShare {
  meterId: string;
  propertyId: string;
  accountId: string;
  /** Missing in some older ESPM answers. */
  username?: string;
  customFields: CustomFieldValue[];
  accessLevel: AccessLevel;
  propertyInfo: PropertyInfo;
  /** Absent for waste meters. */
  meterInfo?: Meter;
  shareAudit?: Audit;
}

export interface PendingList {
  accounts: PendingConnection[];
  properties: PendingPropertyShare[];
  meters: PendingMeterShare[];
  /** Path of the next page, relative to the base URL, when ESPM says there is one. */
  nextPage?: string;
}

export interface EspmErrorDetail {
  errorNumber: string;
  errorDescription: string;
}

export interface EspmWarning {
  warningNumber: string;
  warningDescription: string;
}

export interface EspmResponse {
  status: 'Ok' | 'Error';
  id?: string;
  links: Link[];
  errors: EspmErrorDetail[];
  warnings: EspmWarning[];
}

export type NotificationTypeCode =
  'UNSHARE' | 'SHAREUPDATE' | 'DISCONNECT' | 'TRANSFERPROPERTY' | (string & {});

export interface Notification {
  notificationTypeCode: NotificationTypeCode;
  notificationId: string;
  description: string;
  accountId?: string;
  username: string;
  propertyId?: string;
  meterId?: string;
  notificationCreatedDate?: string;
  notificationCreatedBy?: string;
  notificationCreatedByAccountId?: string;
}

export interface ConsumptionEntry {
  id?: string;
  startDate: string;
  endDate: string;
  /** In the meter's unit of measure, as decimal text. */
  usage: string;
  cost?: string;
  estimatedValue?: boolean;
  percentRenewableNaturalGas?: string;
  energyExportedOffSite?: string;
  audit?: Audit;
}

export interface MeterData {
  entries: ConsumptionEntry[];
  links: Link[];
}

export type ValidCharacters = 'Any' | 'Alphanumeric' | 'Numeric';
export type WhenToPrompt = 'Once' | 'Property' | 'Meter';

export interface CustomFieldDefinition {
  name: string;
  required: boolean;
  validCharacters: ValidCharacters;
  whenToPrompt: WhenToPrompt;
  description?: string;
  example?: string;
  url?: string;
  minChars?: number;
  maxChars?: number;
  displayOrder?: number;
}

export type TermsOfUse = { kind: 'text'; text: string } | { kind: 'url'; url: string } | { kind: 'none' };

export interface DataExchangeSettings {
  termsOfUse: TermsOfUse;
  supportedMeterTypes: string[];
}

export type LanguagePreference = 'en_US' | 'fr_CA' | 'es_US';

export interface Customer {
  username?: string;
  languagePreference?: LanguagePreference;
  accountInfo?: AccountInfo;
}

/** A new ESPM account, as the customer side creates it (POST /account). */
/** What GET /account says of the signed-in account. */
export interface AccountSummary {
  id: string;
  username: string;
  webserviceUser?: boolean;
  /** Whether other users' contact search finds it: a provider must be, or no customer can connect. */
  searchable?: boolean;
}

export interface NewAccount {
  username: string;
  password: string;
  contact: Omit<AccountInfo, 'organization'>;
  organization: string;
  webserviceUser: boolean;
  searchable: boolean;
  languagePreference?: LanguagePreference;
}

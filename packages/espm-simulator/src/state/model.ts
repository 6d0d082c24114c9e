// The simulated ESPM's records. Plain JSON on purpose: the whole state is written to a snapshot file.
// One provider account exists, so shares and connections are keyed by the customer's resource alone.
import type {
  AccessLevel,
  AccountInfo,
  Audit,
  ConsumptionEntry,
  CustomFieldDefinition,
  CustomFieldValue,
  DataExchangeSettings,
  LanguagePreference,
  Meter,
  Notification,
  PropertyInfo,
} from '../espm.ts';

export interface AccountRecord {
  id: string;
  username: string;
  password: string;
  contact: Omit<AccountInfo, 'organization'>;
  organization: string;
  languagePreference: LanguagePreference;
  isProvider: boolean;
  /** Found by other users' contact search (the provider is; a customer as it asked when created). */
  searchable?: boolean;
  createdDate: string;
}

export interface PropertyRecord {
  id: string;
  accountId: string;
  info: PropertyInfo;
  audit: Audit;
}

export interface MeterRecord {
  id: string;
  propertyId: string;
  meter: Meter;
  audit: Audit;
}

export type ConnectionStatus = 'pending' | 'accepted' | 'rejected' | 'disconnected';

export interface ConnectionRecord {
  accountId: string;
  status: ConnectionStatus;
  audit: Audit;
  /** The provider's note when it answered. */
  note?: string;
  answeredDate?: string;
  endedDate?: string;
  endedBy?: 'customer' | 'provider';
  endNote?: string;
  /** Connected by the provider accepting a share: no connection request was ever listed. */
  acceptedThroughShare?: boolean;
}

/** 'removed' covers a share the customer withdrew or ended and one the provider gave up. */
export type ShareStatus = 'pending' | 'accepted' | 'rejected' | 'removed';

export interface ShareRecord {
  kind: 'property' | 'meter';
  /** The property id or the meter id. */
  resourceId: string;
  propertyId: string;
  /** The customer account that sent the share. */
  accountId: string;
  accessLevel: AccessLevel;
  status: ShareStatus;
  audit: Audit;
  note?: string;
  answeredDate?: string;
  /** Set when a rejected property share closed this pending meter share. */
  closedByPropertyShare?: boolean;
  removedDate?: string;
  removedBy?: 'customer' | 'provider';
}

export interface ConsumptionRecord extends ConsumptionEntry {
  id: string;
  meterId: string;
  audit: Audit;
  /** Rule outcomes set to 'warning' that this entry triggered. */
  warnings?: string[];
}

export interface NotificationRecord extends Notification {
  read: boolean;
}

export interface CustomFieldRecord {
  id: string;
  definition: CustomFieldDefinition;
}

export type CustomFieldLevel = 'account' | 'property' | 'meter';

export interface DecisionRecord {
  kind: 'connection' | 'propertyShare' | 'meterShare';
  /** The account id, property id or meter id the request was about. */
  id: string;
  accountId: string;
  action: 'Accept' | 'Reject';
  note?: string;
  date: string;
  /** True when the simulator applied it as a consequence of another answer (README: rules). */
  automatic?: boolean;
}

export interface IdCounters {
  account: number;
  property: number;
  meter: number;
  consumption: number;
  notification: number;
  customField: number;
}

export interface SimData {
  format: 'espm-simulator/1';
  counters: IdCounters;
  providerAccountId: string;
  accounts: Record<string, AccountRecord>;
  properties: Record<string, PropertyRecord>;
  meters: Record<string, MeterRecord>;
  /** Keyed by the customer's account id. */
  connections: Record<string, ConnectionRecord>;
  /** Keyed by property id. */
  propertyShares: Record<string, ShareRecord>;
  /** Keyed by meter id. */
  meterShares: Record<string, ShareRecord>;
  consumption: Record<string, ConsumptionRecord>;
  notifications: NotificationRecord[];
  settings: DataExchangeSettings;
  customFields: Record<string, CustomFieldRecord>;
  /** The customer's answers to the provider's custom fields, by level, then by account/property/meter id. */
  customFieldValues: Record<CustomFieldLevel, Record<string, CustomFieldValue[]>>;
  decisions: DecisionRecord[];
}

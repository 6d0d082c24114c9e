// The store's tables as Kysely sees them. Dates of billing periods are 'YYYY-MM-DD' text on both
// backends (parsers set in database.ts); volumes and money are numeric, read back as decimal text.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { BillingStatus } from '../vocabulary/billing-period.ts';
import type {
  GatewayEvent,
  LinkReason,
  LogStatus,
  OperatorRole,
  RejectionRule,
  ServiceName,
} from '../vocabulary/gateway-events.ts';
import type { LinkDecision, LinkStatus } from '../vocabulary/link-statuses.ts';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface BillingInvoiceTable {
  invoice_number: string;
  account_number: string;
  invoice_date: string;
  created_at: CreatedAt;
}

export interface BillingPeriodTable {
  meter_number: string;
  period_start: string;
  period_end: string;
  account_number: string;
  invoice_number: string;
  volume_m3: string;
  cost: string | null;
  estimated: boolean;
  rng_percent: string | null;
  status: BillingStatus;
  /** Bumped whenever a billed value changes, so every linked ESPM meter learns of the correction. */
  revision: Generated<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
  /** The import, and its line (for HTTP: the row's index), that last wrote this period. */
  import_id: number | null;
  import_line: number | null;
  /** The service point the meter serves, when the billing system says (whole-building data). */
  premise_id: string | null;
  service_address: string | null;
  /** Billing's customer: accounts with the same one count as one customer (docs/buildings.md). */
  customer_id: string | null;
}

/** A period a billing import wrote (billing/changes.ts). */
export interface BillingChangeTable {
  id: Generated<number>;
  meter_number: string;
  period_start: string;
  account_number: string;
  status: BillingStatus;
  /** Null: the period is new. */
  previous_status: BillingStatus | null;
}

/** How far a reader of billing_change has acted (billing/changes.ts). */
export interface ChangeReaderTable {
  name: string;
  last_id: number;
}

export type ImportSource = 'csv' | 'http' | 'console';
export type ImportStatus = 'running' | 'done' | 'failed';

export interface BillingImportTable {
  id: Generated<number>;
  source: ImportSource;
  file_name: string | null;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  status: ImportStatus;
  rows_read: number;
  rows_imported: number;
  rows_unchanged: number;
  rows_rejected: number;
  /** Rows replaced by a later row for the same period in the same file; never written. */
  rows_replaced: Generated<number>;
  error: string | null;
  operator: string | null;
  /** SHA-256 of the imported file, to recognise the same content imported again. */
  content_sha256: string | null;
}

export interface BillingImportRejectionTable {
  import_id: number;
  /** The file's line (header = 1); for rows pushed over HTTP, the row's index in the array. */
  line: number;
  reason: string;
}

export type ConnectionStatus = 'connected' | 'disconnected';

export interface EspmCustomerTable {
  account_id: string;
  username: string;
  first_name: string;
  last_name: string;
  email: string;
  organization: string | null;
  phone: string | null;
  connection_status: ConnectionStatus;
  connected_at: Timestamp;
  disconnected_at: Timestamp | null;
  /** Failures before this moment no longer count towards the lockout (an operator unlocked it). */
  lockout_cleared_at: Timestamp | null;
}

export interface EspmPropertyTable {
  property_id: string;
  account_id: string;
  name: string | null;
  address: string | null;
  share_status: 'accepted' | 'revoked';
  accepted_at: Timestamp;
  revoked_at: Timestamp | null;
}

export type { LinkStatus };

export interface MeterLinkTable {
  id: Generated<number>;
  espm_meter_id: string;
  espm_property_id: string;
  espm_account_id: string;
  espm_username: string | null;
  meter_name: string | null;
  meter_type: string | null;
  unit_of_measure: string | null;
  first_bill_date: string | null;
  access_level: string;
  /** The custom field values as the customer typed them, keyed by field name. */
  custom_fields: Json<Record<string, string>>;
  account_number: string | null;
  invoice_number: string | null;
  meter_number: string | null;
  initial_load: number | null;
  status: LinkStatus;
  reason_code: LinkReason | null;
  received_at: Timestamp;
  decided_at: Timestamp | null;
  /** The exact note of the decision, kept until ESPM has taken the answer (answered_at). */
  decision_note: string | null;
  answered_at: Timestamp | null;
  revoked_at: Timestamp | null;
  /** Billed periods ending after this date are sent; set on acceptance from the initial load. */
  history_from: string | null;
  last_synced_at: Timestamp | null;
  last_period_end: string | null;
  /** Set when the link has work waiting (new, corrected or cancelled periods). */
  sync_due: boolean;
  conflict: Json<ConflictDetail | null> | null;
  /** Something the operator should know that is not an error, e.g. periods before the meter's first bill date. */
  notice: string | null;
  /** When the customer last sent the share, by ESPM's clock (shareAudit); null when ESPM did not say. */
  shared_at: Timestamp | null;
  /** When the meter's access level was last read for this paused link (link-state.ts). */
  access_checked_at: Timestamp | null;
  /** Who syncs the link now (one instance at a time) and until when, unless renewed; see exchange/leases.ts. */
  sync_lease_owner: string | null;
  sync_lease_until: Timestamp | null;
  /** The process (lease_holder.instance) holding the lease, so that its death frees the link at once. */
  sync_lease_instance: string | null;
  /** Set when the link stands for a building's total (an aggregate meter shared with a code). */
  building_id: string | null;
  aggregation_code_id: number | null;
  /** The account holding the property since ESPM said it was transferred (TRANSFERPROPERTY), and when. */
  holder_account_id: string | null;
  holder_username: string | null;
  transferred_at: Timestamp | null;
  /** Another billing account on the link's meter that an operator let pass after a transfer. */
  billing_account_ack: string | null;
  /** When GET /meter confirmed a building's meter is an aggregate meter; nothing is sent before. */
  aggregate_confirmed_at: Timestamp | null;
  /** When an operator last renewed a link fed by a code (exchange/building-links.ts); null: never since accepted. */
  renewed_at: Timestamp | null;
}

export interface ConflictDetail {
  periods: Array<{ periodStart: string; periodEnd: string; customerEntries: CustomerEntry[] }>;
}

export interface CustomerEntry {
  id: string;
  startDate: string;
  endDate: string;
  usage: string;
  createdBy?: string;
}

export interface LinkDecisionTable {
  id: Generated<number>;
  link_id: number;
  decided_at: Timestamp;
  decision: LinkDecision;
  rule: LinkReason | null;
  /** The exact note sent to the customer, or the operator's action. */
  note: string | null;
  operator: string | null;
}

export interface ValidationFailureTable {
  id: Generated<number>;
  espm_account_id: string;
  failed_at: Timestamp;
  link_id: number | null;
  rule: RejectionRule;
}

/**
 * sending: a POST/PUT/DELETE is under way or its outcome is unknown; adopted: found in ESPM already;
 * withheld: an operator kept the customer's own data for this period, so it is never sent.
 */
export type EntryState = 'pending' | 'sending' | 'sent' | 'adopted' | 'withheld' | 'deleted';

export interface ConsumptionEntryTable {
  id: Generated<number>;
  link_id: number;
  /** Null for a building's month, which no single billing meter stands behind. */
  meter_number: string | null;
  period_start: string;
  period_end: string;
  espm_entry_id: string | null;
  state: EntryState;
  operation: 'create' | 'update' | 'delete' | null;
  usage: string;
  unit_of_measure: string;
  volume_m3: string;
  estimated: boolean;
  rng_percent: string | null;
  cost: string | null;
  billing_revision: number;
  sent_at: Timestamp | null;
  updated_at: Timestamp;
}

export interface EspmNotificationTable {
  notification_id: string;
  type_code: string;
  description: string;
  account_id: string | null;
  username: string | null;
  property_id: string | null;
  meter_id: string | null;
  created_date: string | null;
  received_at: Timestamp;
  handled_at: Timestamp | null;
}

export type { LogStatus } from '../vocabulary/gateway-events.ts';

export interface GatewayLogTable {
  id: Generated<number>;
  at: Timestamp;
  service: ServiceName;
  /** What the line is about, e.g. an ESPM meter id. */
  subject: string | null;
  /** The event's code (log/gateway-event.ts outcomeCode), for filters and metric labels, e.g. rejected:unknown-account. */
  outcome: string;
  status: LogStatus;
  /** The same in one English line, for readers of the table. */
  details: string | null;
  /** What happened, as a typed value (log/gateway-event.ts): what the console and metrics read. */
  event: Json<GatewayEvent>;
  operator: string | null;
}

export type { OperatorRole } from '../vocabulary/gateway-events.ts';

/** Someone who signs in to the console; viewers read, operators also act, administrators also manage operators. */
export interface ConsoleOperatorTable {
  username: string;
  display_name: string;
  role: OperatorRole;
  /** scrypt$N$r$p$salt$hash (base64), salt per user. */
  password_hash: string;
  created_at: CreatedAt;
  updated_at: Timestamp;
  disabled_at: Timestamp | null;
}

/** A signed-in browser: the cookie holds a random id, the table only its sha256. */
export interface ConsoleSessionTable {
  id_hash: string;
  username: string;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  /** The outcome of the last action, shown once after the redirect: a message key and its values. */
  flash: Json<ConsoleFlash | null> | null;
}

export interface ConsoleFlash {
  kind: 'ok' | 'warn' | 'error';
  key: string;
  params?: Record<string, string | number>;
}

/** Failed sign-ins, per username and IP address, for the rate limit shared by every instance. */
export interface ConsoleSigninFailureTable {
  id: Generated<number>;
  username: string;
  ip: string;
  failed_at: Timestamp;
  /** sha256 of the sign-in form's token (its cookie): a success clears the failures of that form only. */
  form: string | null;
}

/** A service step running in one process at a time across instances; see exchange/leases.ts. */
export interface ServiceLeaseTable {
  name: string;
  owner: string;
  lease_until: Timestamp;
  claimed_at: CreatedAt;
  /** The process (lease_holder.instance) holding the lease. */
  instance: string | null;
}

/** A process that claims leases: where it runs, so that another can tell it died; see exchange/leases.ts. */
export interface LeaseHolderTable {
  instance: string;
  host: string;
  pid: number;
  registered_at: CreatedAt;
}

/** A building whose owner may receive its whole-building total (docs/buildings.md). */
export interface BuildingTable {
  building_id: string;
  name: string;
  created_at: CreatedAt;
  created_by: string | null;
}

/** A premise's time in a building: at most one row per premise has no until_month. */
export interface BuildingPremiseTable {
  id: Generated<number>;
  premise_id: string;
  building_id: string;
  added_at: CreatedAt;
  added_by: string | null;
  /** The premise's accounts are the building owner's own (common areas, vacant units): never counted. */
  owner_held: Generated<boolean>;
  /** First month the premise counts in; null: every month (added before anything was written). */
  from_month: string | null;
  /** Last month the premise counts in, once removed; null while it is in the building. */
  until_month: string | null;
}

/** Only the code's SHA-256 is kept: the code itself is shown once, when issued. */
export interface AggregationCodeTable {
  id: Generated<number>;
  building_id: string;
  code_sha256: string;
  issued_at: Timestamp;
  issued_by: string | null;
  expires_at: Timestamp;
  /** When a share bound the code to its ESPM meter; a used code never expires. */
  used_at: Timestamp | null;
  espm_meter_id: string | null;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
  /** To whom the operator gave the code: a name, and an e-mail address or a phone number. */
  recipient_name: string | null;
  recipient_contact: string | null;
  /** The confirmation form that issued the code: the same form posted again issues none. */
  request_token: string | null;
}

export type BuildingMonthState = 'sendable' | 'withheld';

/** Each calendar month of a building as last computed: its total, what stands behind it, and whether it may leave. */
export interface BuildingMonthTable {
  building_id: string;
  /** The month's first day. */
  month: string;
  state: BuildingMonthState;
  /** Why a month is withheld (buildings/building-months.ts WithheldReason). */
  reason: string | null;
  volume_m3: string;
  customers: number;
  meters: number;
  computed_at: Timestamp;
  /** The value last written to ESPM for the month; null if never written. */
  written_m3: string | null;
  /** Why the month's current total is not written over the written one (buildings/month-release.ts). */
  revision_withheld: string | null;
}

/**
 * Each value ever written for a building's month, in order, with each customer's part of it (exact
 * litres, "num/den"; whether it counted): what the aggregate meter has shown, against which every
 * later change is judged. Never sent anywhere.
 */
export interface BuildingReleaseTable {
  building_id: string;
  month: string;
  seq: number;
  volume_m3: string;
  estimated: boolean;
  contributions: Json<Array<{ customer: string; litres: string; counts: boolean }>>;
  released_at: Timestamp;
}

export interface Database {
  billing_invoice: BillingInvoiceTable;
  billing_period: BillingPeriodTable;
  billing_change: BillingChangeTable;
  change_reader: ChangeReaderTable;
  billing_import: BillingImportTable;
  billing_import_rejection: BillingImportRejectionTable;
  espm_customer: EspmCustomerTable;
  espm_property: EspmPropertyTable;
  meter_link: MeterLinkTable;
  link_decision: LinkDecisionTable;
  validation_failure: ValidationFailureTable;
  consumption_entry: ConsumptionEntryTable;
  espm_notification: EspmNotificationTable;
  gateway_log: GatewayLogTable;
  console_operator: ConsoleOperatorTable;
  console_session: ConsoleSessionTable;
  console_signin_failure: ConsoleSigninFailureTable;
  service_lease: ServiceLeaseTable;
  lease_holder: LeaseHolderTable;
  building: BuildingTable;
  building_premise: BuildingPremiseTable;
  aggregation_code: AggregationCodeTable;
  building_month: BuildingMonthTable;
  building_release: BuildingReleaseTable;
}

export type BillingPeriod = Selectable<BillingPeriodTable>;
export type NewBillingPeriod = Insertable<BillingPeriodTable>;
export type MeterLink = Selectable<MeterLinkTable>;
export type MeterLinkUpdate = Updateable<MeterLinkTable>;
export type ConsumptionEntryRow = Selectable<ConsumptionEntryTable>;
export type GatewayLogRow = Selectable<GatewayLogTable>;

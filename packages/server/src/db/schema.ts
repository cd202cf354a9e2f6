/** Kysely table types. Money columns are integer 分 (bigint, read as string by pg, converted at the edge). */
import type { ColumnType, Generated, JSONColumnType } from "kysely";
import type { ExemptionExclusionTable, ExemptionFlagTable } from "../exemption/schema.ts";
import type { WhitelistMemberTable, WhitelistTable } from "../services/ladder-schema.ts";

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type Role = "enterprise" | "officer" | "finance" | "coordinator" | "policyAdmin";

export interface AccountTable {
  id: string;
  username: string;
  password_hash: string;
  display_name: string;
  role: Role;
  /** Officers and finance: the department code they act for. */
  department: string | null;
  /** Officers, finance, coordinators: their district (GB/T 2260). */
  region_code: string | null;
  enterprise_id: string | null;
  created_at: Timestamp;
  /** Staff work phone (office number, migration 009); shown to the enterprises an officer serves. */
  phone: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface SessionTable {
  id: string;
  account_id: string;
  csrf_token: string;
  expires_at: Timestamp;
  created_at: Timestamp;
}

export interface EnterpriseTable {
  id: string;
  uscc: string;
  name: string;
  region_code: string;
  industry_code: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface EnterpriseFactTable {
  enterprise_id: string;
  fact_id: string;
  /** Year for per-year facts, "" otherwise. */
  period: string;
  value: ColumnType<unknown, string, string>;
  /** "self" (declared by the enterprise), "import" (government data, imports/) or "verified" (by a department). */
  source: string;
  verified_by: string | null;
  updated_at: Timestamp;
  /** Provenance of an imported value (migration 007): the import, its file name and the row (1 = header). */
  import_id: ColumnType<string | null, string | null | undefined, string | null>;
  import_file: ColumnType<string | null, string | null | undefined, string | null>;
  import_row: ColumnType<number | null, number | null | undefined, number | null>;
}

/** One bulk import of enterprises or facts (imports/). */
export interface FactImportTable {
  id: string;
  kind: "registry" | "statistics" | "rd" | "certifications" | "awards";
  file_name: string;
  file_sha256: string;
  /** The importer's district; null = every district (CLI without --district). */
  district: string | null;
  imported_by: string | null;
  imported_at: Timestamp;
  counts: JSONColumnType<Record<string, number>>;
}

export interface RulesVersionTable {
  version: string;
  loaded_at: Timestamp;
  current: boolean;
}

export interface MeasureTable {
  id: string;
  rules_version: string;
  document_id: string;
  doc_number: string;
  title: string;
  benefit_type: string;
  monetary: boolean;
  level: string;
  region_code: string;
  lead_department: string;
  co_departments: JSONColumnType<string[]>;
  valid_from: string;
  valid_until: string | null;
  /** Content hash of the measure's data: a change makes a new row version. */
  content_hash: string;
  data: JSONColumnType<Record<string, unknown>>;
  /** jieba tokens of title, clause and interpretation, space-separated, for to_tsvector('simple', …). */
  search_tokens: string;
}

export interface MeasureBudgetTable {
  measure_id: string;
  budget_fen: ColumnType<string, string | number, string | number>;
}

/** Publication flag per measure id (across rules versions); no row = published. */
export interface MeasurePublicationTable {
  measure_id: string;
  published: boolean;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface ApplicationTable {
  id: string;
  /** 申报编号 区县码-年份-序号, e.g. 500113-2026-000123; assigned by the database on insert (migration 005). */
  number: Generated<string>;
  enterprise_id: string;
  measure_id: string;
  rules_version: string;
  status: string;
  current_step: number;
  steps: JSONColumnType<ReviewStep[]>;
  form: JSONColumnType<Record<string, unknown>>;
  max_fen: ColumnType<string | null, string | number | null, string | number | null>;
  granted_fen: ColumnType<string | null, string | number | null, string | number | null>;
  notice_until: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** "application" (the enterprise applied) or "exemption" (免申即享, confirmed by the lead department; migration 011). */
  channel: ColumnType<string, string | undefined, string>;
}

export interface ReviewStep {
  name: string;
  department: string;
  role: Role;
  status: "pending" | "passed" | "returned" | "rejected" | "waiting";
  reason?: string | null;
  actorId?: string | null;
  decidedAt?: string | null;
}

/** Last 申报编号 sequence number taken per district and (Chongqing) year. */
export interface ApplicationCounterTable {
  region_code: string;
  year: number;
  last_seq: number;
}

export interface ApplicationHistoryTable {
  id: Generated<number>;
  application_id: string;
  from_status: string | null;
  to_status: string;
  actor_id: string | null;
  reason: string | null;
  at: Timestamp;
}

export interface AttachmentTable {
  id: string;
  application_id: string;
  file_name: string;
  content_type: string;
  size: number;
  path: string;
  created_at: Timestamp;
}

export interface DisbursementTable {
  id: string;
  application_id: string;
  amount_fen: ColumnType<string, string | number, string | number>;
  batch_ref: string;
  status: "issued" | "paid" | "failed";
  issued_at: Timestamp;
  settled_at: Timestamp | null;
  failure_reason: string | null;
}

export interface NotificationTable {
  id: string;
  enterprise_id: string;
  kind: string;
  measure_id: string | null;
  title: string;
  body: string;
  dedupe_key: string;
  read_at: Timestamp | null;
  created_at: Timestamp;
  /** Where the notification leads in the web app (/calculator, /applications/:id); null = its measure. */
  link: ColumnType<string | null, string | null | undefined, string | null>;
}

/** An enterprise's push subscription; no row = every topic, in-app only. */
export interface NotificationSettingsTable {
  enterprise_id: string;
  matches: boolean;
  deadlines: boolean;
  status: boolean;
  in_app: boolean;
  email: boolean;
  updated_at: Timestamp;
}

/** A measure version an enterprise matched; notified_at null = waiting for the next digest. */
export interface NotificationMatchTable {
  enterprise_id: string;
  measure_id: string;
  content_hash: string;
  eligible: boolean;
  /** Pays money (named before service measures in a digest). */
  monetary: Generated<boolean>;
  summary: string;
  matched_at: Timestamp;
  notified_at: Timestamp | null;
}

export interface OutboxTable {
  id: Generated<number>;
  topic: string;
  payload: JSONColumnType<Record<string, unknown>>;
  dedupe_key: string | null;
  status: Generated<string>;
  attempts: Generated<number>;
  last_error: string | null;
  available_at: Timestamp;
  created_at: Timestamp;
}

export interface AuditTable {
  seq: Generated<number>;
  at: string;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before: ColumnType<unknown, string, string>;
  after: ColumnType<unknown, string, string>;
  prev_hash: string;
  hash: string;
}

/** 满意度评价 of a closed application (one per application). */
export interface ApplicationRatingTable {
  application_id: string;
  enterprise_id: string;
  /** 1–5 */
  score: number;
  comment: string | null;
  rated_by: string | null;
  created_at: Timestamp;
}

export interface Database {
  accounts: AccountTable;
  sessions: SessionTable;
  enterprises: EnterpriseTable;
  enterprise_facts: EnterpriseFactTable;
  fact_imports: FactImportTable;
  rules_versions: RulesVersionTable;
  measures: MeasureTable;
  measure_budgets: MeasureBudgetTable;
  measure_publication: MeasurePublicationTable;
  applications: ApplicationTable;
  application_counters: ApplicationCounterTable;
  application_history: ApplicationHistoryTable;
  application_ratings: ApplicationRatingTable;
  attachments: AttachmentTable;
  disbursements: DisbursementTable;
  notifications: NotificationTable;
  notification_settings: NotificationSettingsTable;
  notification_matches: NotificationMatchTable;
  outbox: OutboxTable;
  audit_log: AuditTable;
  policy_revisions: PolicyRevisionTable;
  service_routes: ServiceRouteTable;
  service_request_counters: ServiceRequestCounterTable;
  service_requests: ServiceRequestTable;
  service_request_events: ServiceRequestEventTable;
  service_request_attachments: ServiceRequestAttachmentTable;
  service_officer_assignments: ServiceOfficerAssignmentTable;
  match_lists: MatchListTable;
  match_runs: MatchRunTable;
  match_partitions: MatchPartitionTable;
  exemption_flags: ExemptionFlagTable;
  exemption_exclusions: ExemptionExclusionTable;
  whitelists: WhitelistTable;
  whitelist_members: WhitelistMemberTable;
}

/** Per-measure match lists (batch/lists.ts): eligible or undetermined rows, amounts in 分 before netting. */
export interface MatchListTable {
  measure_id: string;
  enterprise_id: string;
  outcome: "eligible" | "undetermined";
  amount_min: ColumnType<string | null, string | number | null, string | number | null>;
  amount_max: ColumnType<string | null, string | number | null, string | number | null>;
  missing: JSONColumnType<string[]>;
  rules_version: string;
  as_of: ColumnType<string, string, string>;
  computed_at: Generated<Timestamp>;
}

/** One batch matching run (batch/runs.ts): a rules version × as-of date over all or some measures and enterprises. */
export interface MatchRunTable {
  id: string;
  rules_version: string;
  as_of: ColumnType<string, string, string>;
  reason: "publish" | "import" | "manual" | "startup";
  /** null: every published measure. */
  measure_ids: ColumnType<string[] | null, string | null, string | null>;
  state: "pending" | "running" | "done" | "failed";
  partitions: number;
  partitions_done: Generated<number>;
  enterprises: number;
  enterprises_done: Generated<number>;
  rows_written: ColumnType<string, string | number | undefined, string | number>;
  created_by: string | null;
  created_at: Timestamp;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  error: string | null;
  /** The bulk import whose changed enterprises this run re-matches (reason "import"). */
  import_id: string | null;
}

/** A slice of a run's enterprises: an id range (both ends inclusive, null = open) or an explicit id list. */
export interface MatchPartitionTable {
  run_id: string;
  number: number;
  id_from: string | null;
  id_to: string | null;
  enterprise_ids: ColumnType<string[] | null, string | null, string | null>;
  enterprises: number;
  state: "pending" | "claimed" | "done";
  claimed_by: string | null;
  lease_until: Timestamp | null;
  /** Claims so far (a crashed claimer's partition is claimed again: 2). */
  attempts: Generated<number>;
  done_at: Timestamp | null;
  rows_written: number | null;
}

/** 服务专员 assignment (migration 009): at most one open (ended_at null) per enterprise; ended rows are history. */
export interface ServiceOfficerAssignmentTable {
  id: string;
  enterprise_id: string;
  officer_id: string;
  assigned_by: string | null;
  assigned_at: Timestamp;
  ended_at: Timestamp | null;
  ended_by: string | null;
}

export interface PolicyRevisionTable {
  document_id: string;
  revision: number;
  state: "draft" | "inReview" | "published" | "superseded" | "repealed";
  origin: "seed" | "import" | "editor";
  /** File name → exact text (document.yaml, measures.yaml, …). */
  files: JSONColumnType<Record<string, string>>;
  files_hash: string;
  author_id: string | null;
  reviewer_id: string | null;
  note: string | null;
  created_at: Timestamp;
  published_at: Timestamp | null;
  ended_at: Timestamp | null;
}

/** 企业吹哨 routing: category × district (or "*") → responsible department (migration 008). */
export interface ServiceRouteTable {
  category: string;
  region_code: string;
  department: string;
  updated_by: string | null;
  updated_at: Timestamp;
}

/** Last 诉求编号 sequence number taken per district and (Chongqing) year. */
export interface ServiceRequestCounterTable {
  region_code: string;
  year: number;
  last_seq: number;
}

export type ServiceRequestStatus = "submitted" | "accepted" | "replied" | "closed" | "reopened";

/** An enterprise's service request (企业吹哨); due dates are Chongqing dates "YYYY-MM-DD" (working days). */
export interface ServiceRequestTable {
  id: string;
  /** 诉求编号 区县码-年份-序号 (500113-2026-000001). */
  number: string;
  enterprise_id: string;
  region_code: string;
  category: string;
  description: string;
  department: string;
  /** Municipal department it was forwarded to (市区联动), if any. */
  forwarded_to: string | null;
  status: ServiceRequestStatus;
  accept_due: string;
  reply_due: string | null;
  accepted_at: Timestamp | null;
  accepted_late: boolean | null;
  replied_at: Timestamp | null;
  reply: string | null;
  closed_at: Timestamp | null;
  escalated_at: Timestamp | null;
  /** The stage last escalated: "accept" or "reply" (each stage escalates once). */
  escalated_stage: string | null;
  rating_score: number | null;
  rating_comment: string | null;
  rated_at: Timestamp | null;
  /** The enterprise's 服务专员 the request went to first (migration 009), if it had one. */
  officer_id: ColumnType<string | null, string | null | undefined, string | null>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** One step of a service request's timeline (who, what, when, text). */
/** Files on a service request (migration 013, services/attachments.ts). */
export interface ServiceRequestAttachmentTable {
  id: string;
  request_id: string;
  file_name: string;
  content_type: string;
  size: number;
  path: string;
  /** The account that uploaded it. */
  uploaded_by: string;
  uploader_role: "enterprise" | "officer";
  created_at: Timestamp;
}

export interface ServiceRequestEventTable {
  id: Generated<number>;
  request_id: string;
  actor_id: string | null;
  actor_role: string | null;
  kind: string;
  text: string | null;
  at: Timestamp;
}

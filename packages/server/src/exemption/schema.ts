/**
 * 免申即享 tables (migration 011): the flag per measure as history (the latest row decides), the lead
 * department's exclusions with their reason, and the channel column that marks an application created by a
 * 免申即享 confirmation rather than by the enterprise.
 */
import type { ColumnType, Generated } from "kysely";

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export const EXEMPTION_SQL = [
  `create table exemption_flags (
    id bigserial primary key,
    measure_id text not null,
    flagged boolean not null,
    note text,
    actor_id uuid references accounts(id),
    at timestamptz not null default now()
  )`,
  `create index exemption_flags_measure on exemption_flags (measure_id, id)`,
  `create table exemption_exclusions (
    measure_id text not null,
    enterprise_id uuid not null references enterprises(id) on delete cascade,
    reason text not null,
    actor_id uuid references accounts(id),
    at timestamptz not null default now(),
    primary key (measure_id, enterprise_id)
  )`,
  `alter table applications add column channel text not null default 'application'
    check (channel in ('application', 'exemption'))`,
  `create index applications_channel on applications (channel) where channel <> 'application'`,
];

/** One flag change (flagged true = 免申即享 from then on, false = removed); rows are never updated. */
export interface ExemptionFlagTable {
  id: Generated<number>;
  measure_id: string;
  flagged: boolean;
  note: string | null;
  actor_id: string | null;
  at: Timestamp;
}

/** An enterprise the lead department excluded from a measure's 免申即享 list, and why. */
export interface ExemptionExclusionTable {
  measure_id: string;
  enterprise_id: string;
  reason: string;
  actor_id: string | null;
  at: Timestamp;
}

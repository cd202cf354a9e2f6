/**
 * 白名单 tables (migration 012_ladder_whitelists, whitelists.ts): named lists with a kind, a district (or the
 * whole city) and validity dates, and their members. Membership reaches the engine as the `whitelist` fact.
 */
import type { ColumnType } from "kysely";

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export const LADDER_WHITELISTS_SQL = [
  `create table whitelists (
    id uuid primary key,
    name text not null,
    kind text not null,
    region_code text not null,
    valid_from text not null,
    valid_until text,
    basis text,
    created_by uuid references accounts(id),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
  `create index whitelists_region on whitelists (region_code)`,
  `create table whitelist_members (
    whitelist_id uuid not null references whitelists(id) on delete cascade,
    enterprise_id uuid not null references enterprises(id) on delete cascade,
    added_by uuid references accounts(id),
    added_at timestamptz not null default now(),
    source_file text,
    source_row integer,
    primary key (whitelist_id, enterprise_id)
  )`,
  `create index whitelist_members_enterprise on whitelist_members (enterprise_id)`,
];

export interface WhitelistTable {
  id: string;
  name: string;
  kind: string;
  region_code: string;
  valid_from: string;
  valid_until: string | null;
  basis: string | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WhitelistMemberTable {
  whitelist_id: string;
  enterprise_id: string;
  added_by: string | null;
  added_at: Timestamp;
  source_file: string | null;
  source_row: number | null;
}

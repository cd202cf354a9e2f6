/** Versioned migrations, applied in order by Kysely's Migrator. Plain PostgreSQL: the same SQL runs on PGlite. */
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from "kysely";
import { POLICY_REVISIONS_SQL } from "../authoring/policy-store.ts";
import { MATCH_LISTS_SQL } from "../batch/lists.ts";
import { EXEMPTION_SQL } from "../exemption/schema.ts";
import { SERVICE_REQUEST_ATTACHMENTS_SQL, SERVICE_REQUESTS_SQL } from "../services/data.ts";
import { LADDER_WHITELISTS_SQL } from "../services/ladder-schema.ts";
import { SERVICE_OFFICERS_SQL } from "../services/officers.ts";

/** Policy documents as versioned revisions of their files (authoring/policy-store.ts). */
const m006: Migration = {
  async up(db: Kysely<unknown>) {
    for (const statement of POLICY_REVISIONS_SQL) await sql.raw(statement).execute(db);
  },
};

const m001: Migration = {
  async up(db: Kysely<unknown>) {
    // One statement per query: prepared statements (pg, PGlite) take a single command.
    for (const statement of INITIAL.split(/;\s*\n/).filter((x) => x.trim()))
      await sql.raw(statement).execute(db);
  },
};

const INITIAL = `
      create table enterprises (
        id uuid primary key,
        uscc text not null unique,
        name text not null,
        region_code text not null,
        industry_code text,
        version integer not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );
      create table accounts (
        id uuid primary key,
        username text not null unique,
        password_hash text not null,
        display_name text not null,
        role text not null check (role in ('enterprise', 'officer', 'finance', 'coordinator', 'policyAdmin')),
        department text,
        region_code text,
        enterprise_id uuid references enterprises(id),
        created_at timestamptz not null default now()
      );
      create table sessions (
        id text primary key,
        account_id uuid not null references accounts(id),
        csrf_token text not null,
        expires_at timestamptz not null,
        created_at timestamptz not null default now()
      );
      create table enterprise_facts (
        enterprise_id uuid not null references enterprises(id),
        fact_id text not null,
        period text not null default '',
        value jsonb not null,
        source text not null check (source in ('self', 'verified')),
        verified_by uuid references accounts(id),
        updated_at timestamptz not null default now(),
        primary key (enterprise_id, fact_id, period)
      );
      create table rules_versions (
        version text primary key,
        loaded_at timestamptz not null default now(),
        current boolean not null default false
      );
      create table measures (
        id text not null,
        rules_version text not null references rules_versions(version),
        document_id text not null,
        doc_number text not null,
        title text not null,
        benefit_type text not null,
        monetary boolean not null,
        level text not null,
        region_code text not null,
        lead_department text not null,
        co_departments jsonb not null,
        valid_from text not null,
        valid_until text,
        content_hash text not null,
        data jsonb not null,
        search_tokens text not null,
        primary key (id, rules_version)
      );
      create index measures_search on measures using gin (to_tsvector('simple', search_tokens));
      create table measure_budgets (
        measure_id text primary key,
        budget_fen bigint not null check (budget_fen >= 0)
      );
      create table applications (
        id uuid primary key,
        enterprise_id uuid not null references enterprises(id),
        measure_id text not null,
        rules_version text not null,
        status text not null,
        current_step integer not null default 0,
        steps jsonb not null,
        form jsonb not null,
        max_fen bigint,
        granted_fen bigint check (granted_fen is null or granted_fen >= 0),
        notice_until text,
        version integer not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );
      create index applications_measure on applications (measure_id, status);
      create index applications_enterprise on applications (enterprise_id);
      create table application_history (
        id bigserial primary key,
        application_id uuid not null references applications(id),
        from_status text,
        to_status text not null,
        actor_id uuid references accounts(id),
        reason text,
        at timestamptz not null default now()
      );
      create table attachments (
        id uuid primary key,
        application_id uuid not null references applications(id),
        file_name text not null,
        content_type text not null,
        size integer not null,
        path text not null,
        created_at timestamptz not null default now()
      );
      create table disbursements (
        id uuid primary key,
        application_id uuid not null unique references applications(id),
        amount_fen bigint not null check (amount_fen > 0),
        batch_ref text not null,
        status text not null check (status in ('issued', 'paid', 'failed')),
        issued_at timestamptz not null default now(),
        settled_at timestamptz,
        failure_reason text
      );
      create table notifications (
        id uuid primary key,
        enterprise_id uuid not null references enterprises(id),
        kind text not null,
        measure_id text,
        title text not null,
        body text not null,
        dedupe_key text not null unique,
        read_at timestamptz,
        created_at timestamptz not null default now()
      );
      create table outbox (
        id bigserial primary key,
        topic text not null,
        payload jsonb not null,
        dedupe_key text unique,
        status text not null default 'pending' check (status in ('pending', 'done', 'failed')),
        attempts integer not null default 0,
        last_error text,
        available_at timestamptz not null default now(),
        created_at timestamptz not null default now()
      );
      create index outbox_pending on outbox (status, available_at);
      create table audit_log (
        seq bigserial primary key,
        at text not null,
        actor_id uuid,
        actor_role text,
        action text not null,
        entity text not null,
        entity_id text,
        before jsonb,
        after jsonb,
        prev_hash text not null,
        hash text not null
      );
`;

/**
 * Publication per measure id (not per rules version, so it survives a reload). No row = published.
 * Unpublished measures leave the library and enterprises' matches; their history and applications stay.
 */
const m002: Migration = {
  async up(db: Kysely<unknown>) {
    await sql
      .raw(`create table measure_publication (
        measure_id text primary key,
        published boolean not null,
        updated_by uuid references accounts(id),
        updated_at timestamptz not null default now()
      )`)
      .execute(db);
  },
};

/**
 * Targeted push, less noise: each enterprise's subscription (topics and channels; no row = the defaults),
 * which measure versions it has been told about (so matches go out as one digest, never twice), and a link
 * per notification (the calculator for a digest, the application for a status change).
 */
const m003: Migration = {
  async up(db: Kysely<unknown>) {
    for (const statement of [
      `create table notification_settings (
        enterprise_id uuid primary key references enterprises(id),
        matches boolean not null default true,
        deadlines boolean not null default true,
        status boolean not null default true,
        in_app boolean not null default true,
        email boolean not null default false,
        updated_at timestamptz not null default now()
      )`,
      `create table notification_matches (
        enterprise_id uuid not null references enterprises(id),
        measure_id text not null,
        content_hash text not null,
        eligible boolean not null,
        monetary boolean not null default false,
        summary text not null,
        matched_at timestamptz not null default now(),
        notified_at timestamptz,
        primary key (enterprise_id, measure_id, content_hash)
      )`,
      `create index notification_matches_pending on notification_matches (enterprise_id) where notified_at is null`,
      // Matches told one by one before digests existed (dedupe key match:<measure>:<hash>:<enterprise>).
      `insert into notification_matches (enterprise_id, measure_id, content_hash, eligible, summary, matched_at, notified_at)
        select enterprise_id, split_part(dedupe_key, ':', 2), split_part(dedupe_key, ':', 3), true, title, created_at, created_at
        from notifications where dedupe_key like 'match:%'
        on conflict do nothing`,
      `alter table notifications add column link text`,
    ])
      await sql.raw(statement).execute(db);
  },
};

/**
 * 申报编号 区县码-年份-序号 (500113-2026-000123): one counter row per district and year; a BEFORE INSERT
 * trigger takes the next value with `insert … on conflict do update … returning` in the inserting transaction,
 * so concurrent creates wait on the counter row and get distinct, consecutive numbers (a rolled-back create
 * gives its number back). The district is the enterprise's; the year is the Chongqing (UTC+8) year of
 * created_at. Existing applications are numbered in creation order.
 */
const m005: Migration = {
  async up(db: Kysely<unknown>) {
    const year = (col: string) => `to_char((${col} at time zone 'UTC') + interval '8 hours', 'YYYY')`;
    for (const statement of [
      `create table application_counters (
        region_code text not null,
        year integer not null,
        last_seq integer not null check (last_seq > 0),
        primary key (region_code, year)
      )`,
      `alter table applications add column number text`,
      `update applications set number = n.region_code || '-' || n.y || '-' || lpad(n.seq::text, greatest(6, length(n.seq::text)), '0')
        from (select a.id, e.region_code, ${year("a.created_at")} as y,
                row_number() over (partition by e.region_code, ${year("a.created_at")} order by a.created_at, a.id) as seq
              from applications a join enterprises e on e.id = a.enterprise_id) n
        where applications.id = n.id`,
      `insert into application_counters (region_code, year, last_seq)
        select split_part(number, '-', 1), split_part(number, '-', 2)::integer, max(split_part(number, '-', 3)::integer)
        from applications group by 1, 2`,
      `create function assign_application_number() returns trigger language plpgsql as $$
        declare
          region text;
          y text;
          seq integer;
        begin
          if new.number is not null then
            return new;
          end if;
          select region_code into strict region from enterprises where id = new.enterprise_id;
          y := ${year("coalesce(new.created_at, now())")};
          insert into application_counters (region_code, year, last_seq) values (region, y::integer, 1)
            on conflict (region_code, year) do update set last_seq = application_counters.last_seq + 1
            returning last_seq into seq;
          new.number := region || '-' || y || '-' || lpad(seq::text, greatest(6, length(seq::text)), '0');
          return new;
        end
      $$`,
      `create trigger applications_number before insert on applications
        for each row execute function assign_application_number()`,
      `alter table applications alter column number set not null`,
      `alter table applications add constraint applications_number_key unique (number)`,
    ])
      await sql.raw(statement).execute(db);
  },
};

/**
 * 满意度评价: one rating (1–5, optional comment) per closed application, given once by its enterprise.
 */
const m004: Migration = {
  async up(db: Kysely<unknown>) {
    for (const statement of [
      `create table application_ratings (
        application_id uuid primary key references applications(id),
        enterprise_id uuid not null references enterprises(id),
        score smallint not null check (score between 1 and 5),
        comment text,
        rated_by uuid references accounts(id),
        created_at timestamptz not null default now()
      )`,
      `create index application_ratings_created_at on application_ratings (created_at)`,
    ])
      await sql.raw(statement).execute(db);
  },
};

/** 企业吹哨·部门报到: service requests, their timeline and the routing table (services/data.ts). */
const m008: Migration = {
  async up(db: Kysely<unknown>) {
    for (const statement of SERVICE_REQUESTS_SQL) await sql.raw(statement).execute(db);
  },
};

/** 服务专员: one open officer assignment per enterprise (history kept), staff work phones (services/officers.ts). */
const m009: Migration = {
  async up(db: Kysely<unknown>) {
    for (const statement of SERVICE_OFFICERS_SQL) await sql.raw(statement).execute(db);
  },
};

/**
 * Bulk import of enterprises and facts (imports/): 'import' joins the fact sources, each fact keeps the
 * import, file and row it came from, and fact_imports records every import with its file's sha256 (a clean
 * re-import of the same file is recognised and changes nothing). Precedence: verified > import > self
 * (imports/precedence.ts).
 */
const m007: Migration = {
  async up(db: Kysely<unknown>) {
    for (const statement of [
      `create table fact_imports (
        id uuid primary key,
        kind text not null check (kind in ('registry', 'statistics', 'rd', 'certifications', 'awards')),
        file_name text not null,
        file_sha256 text not null,
        district text,
        imported_by uuid references accounts(id),
        imported_at timestamptz not null default now(),
        counts jsonb not null
      )`,
      `create index fact_imports_sha256 on fact_imports (file_sha256)`,
      `create index fact_imports_imported_at on fact_imports (imported_at)`,
      `alter table enterprise_facts drop constraint enterprise_facts_source_check`,
      `alter table enterprise_facts add constraint enterprise_facts_source_check
        check (source in ('self', 'import', 'verified'))`,
      `alter table enterprise_facts add column import_id uuid references fact_imports(id)`,
      `alter table enterprise_facts add column import_file text`,
      `alter table enterprise_facts add column import_row integer`,
    ])
      await sql.raw(statement).execute(db);
  },
};

/** 白名单 lists and their members (services/ladder-schema.ts, services/whitelists.ts). */
const m012: Migration = {
  async up(db: Kysely<unknown>) {
    for (const statement of LADDER_WHITELISTS_SQL) await sql.raw(statement).execute(db);
  },
};

/** Per-measure match lists written by batch matching (batch/lists.ts). */
const m010: Migration = {
  async up(db: Kysely<unknown>) {
    for (const statement of MATCH_LISTS_SQL) await sql.raw(statement).execute(db);
  },
};

/** 免申即享: flags per measure (history), exclusions, the applications' channel (exemption/schema.ts). */
const m011: Migration = {
  async up(db: Kysely<unknown>) {
    for (const statement of EXEMPTION_SQL) await sql.raw(statement).execute(db);
  },
};

/** 诉求附件: files on service requests, by the enterprise or the handling department (services/data.ts, rules in services/attachments.ts). */
const m013: Migration = {
  async up(db: Kysely<unknown>) {
    for (const statement of SERVICE_REQUEST_ATTACHMENTS_SQL) await sql.raw(statement).execute(db);
  },
};

export const MIGRATIONS: Record<string, Migration> = {
  "001_initial": m001,
  "002_measure_publication": m002,
  "003_notification_settings": m003,
  "004_satisfaction": m004,
  "005_application_number": m005,
  "006_policy_revisions": m006,
  "007_fact_provenance": m007,
  "008_service_requests": m008,
  "009_service_officers": m009,
  "010_match_lists": m010,
  "011_exemption": m011,
  "012_ladder_whitelists": m012,
  "013_service_request_attachments": m013,
};

class StaticProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return MIGRATIONS;
  }
}

export async function migrate(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({ db, provider: new StaticProvider() });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed)
    throw new Error(`数据库迁移失败：${failed?.migrationName ?? ""} ${String(error ?? "")}`);
}

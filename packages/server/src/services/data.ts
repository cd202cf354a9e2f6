/**
 * 企业吹哨·部门报到 as data: the request categories, the time limits in working days, the municipal
 * departments a district may forward to (市区联动), and the seed routing table (category × district →
 * responsible department). The routing table lives in the database (service_routes) once seeded; policy
 * admins and coordinators edit it there (PUT /api/service-routes). Basis: 渝经信规范〔2022〕6号第23条.
 */

export const SERVICE_CATEGORIES = ["用地", "用工", "用能", "融资", "配套", "审批", "其他"] as const;
export type ServiceCategory = (typeof SERVICE_CATEGORIES)[number];

/** The measure the service implements: cited where the service is introduced. */
export const SERVICE_BASIS = {
  measureId: "cq-jxw-2022-6/23",
  docNumber: "渝经信规范〔2022〕6号",
  ordinal: 23,
  quote:
    "开展“企业吹哨、部门报到”专项行动，政企互动、市区联动、部门协同，分级分类推动企业诉求和问题事项办理。",
} as const;

/**
 * Time limits in working days (工作日, Chongqing calendar, counted from the day after, 自次日起算):
 * - 报到 (accept): within 2 working days of submission;
 * - 答复 (reply): within 10 working days of acceptance;
 * - after the enterprise reopens a reply: a new reply within 5 working days of the reopening;
 * - 即将超时: 1 working day or less left.
 */
export const SERVICE_LIMITS = {
  acceptWorkingDays: 2,
  replyWorkingDays: 10,
  reopenReplyWorkingDays: 5,
  soonWorkingDays: 1,
} as const;

/** Municipal departments a district department may forward a request to (市区联动). */
export const MUNICIPAL_DEPARTMENTS: Record<string, string> = {
  "municipal-economy-it": "市经济信息委",
  "municipal-hr-social-security": "市人力社保局",
  "municipal-planning-resources": "市规划自然资源局",
  "municipal-development-reform": "市发展改革委",
  "municipal-finance-office": "市地方金融管理局",
  "municipal-market-supervision": "市市场监管局",
};

/**
 * The seed routing table. `*` is the default for a district without its own row. In the demo districts the
 * 区经济信息委 (which runs 工业企业 用地、用工、用能 and 配套 coordination) takes most categories, 融资 goes
 * to the 金融事务中心, 审批 to the 市场监管局.
 */
export const DEFAULT_DISTRICT = "*";

export const SEED_ROUTES: { category: ServiceCategory; regionCode: string; department: string }[] = [
  { category: "用地", regionCode: DEFAULT_DISTRICT, department: "economy-it" },
  { category: "用工", regionCode: DEFAULT_DISTRICT, department: "economy-it" },
  { category: "用能", regionCode: DEFAULT_DISTRICT, department: "economy-it" },
  { category: "融资", regionCode: DEFAULT_DISTRICT, department: "finance-office" },
  { category: "配套", regionCode: DEFAULT_DISTRICT, department: "economy-it" },
  { category: "审批", regionCode: DEFAULT_DISTRICT, department: "market-supervision" },
  { category: "其他", regionCode: DEFAULT_DISTRICT, department: "economy-it" },
  // 渝北区: 科技型企业集中，配套服务由区科技局牵头。
  { category: "配套", regionCode: "500112", department: "science-tech" },
];

/** Migration 008: the tables, and the seed routing table. */
export const SERVICE_REQUESTS_SQL: string[] = [
  `create table service_routes (
    category text not null,
    region_code text not null,
    department text not null,
    updated_by uuid references accounts(id),
    updated_at timestamptz not null default now(),
    primary key (category, region_code)
  )`,
  `create table service_request_counters (
    region_code text not null,
    year integer not null,
    last_seq integer not null check (last_seq > 0),
    primary key (region_code, year)
  )`,
  `create table service_requests (
    id uuid primary key,
    number text not null unique,
    enterprise_id uuid not null references enterprises(id),
    region_code text not null,
    category text not null,
    description text not null,
    department text not null,
    forwarded_to text,
    status text not null check (status in ('submitted', 'accepted', 'replied', 'closed', 'reopened')),
    accept_due text not null,
    reply_due text,
    accepted_at timestamptz,
    accepted_late boolean,
    replied_at timestamptz,
    reply text,
    closed_at timestamptz,
    escalated_at timestamptz,
    escalated_stage text,
    rating_score smallint check (rating_score between 1 and 5),
    rating_comment text,
    rated_at timestamptz,
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
  `create index service_requests_queue on service_requests (region_code, department, status)`,
  `create index service_requests_enterprise on service_requests (enterprise_id, created_at)`,
  `create table service_request_events (
    id bigserial primary key,
    request_id uuid not null references service_requests(id),
    actor_id uuid references accounts(id),
    actor_role text,
    kind text not null,
    text text,
    at timestamptz not null default now()
  )`,
  `create index service_request_events_request on service_request_events (request_id, id)`,
  ...SEED_ROUTES.map(
    (r) =>
      `insert into service_routes (category, region_code, department) values ('${r.category}', '${r.regionCode}', '${r.department}')`,
  ),
];

/** Migration 013: files on a service request (services/attachments.ts has the rules). */
export const SERVICE_REQUEST_ATTACHMENTS_SQL: string[] = [
  `create table service_request_attachments (
    id uuid primary key,
    request_id uuid not null references service_requests(id),
    file_name text not null,
    content_type text not null,
    size integer not null check (size >= 0),
    path text not null,
    uploaded_by uuid not null references accounts(id),
    uploader_role text not null check (uploader_role in ('enterprise', 'officer')),
    created_at timestamptz not null default now()
  )`,
  `create index service_request_attachments_request on service_request_attachments (request_id, created_at)`,
];

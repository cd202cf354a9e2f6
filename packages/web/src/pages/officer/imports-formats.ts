/**
 * What the bulk import expects, per kind, in plain Chinese (the columns the server's imports/kinds.ts
 * recognises, as listed in examples/imports/README.md), and the bad-rows CSV an officer can download.
 */
export const IMPORT_KIND_OPTIONS = [
  { value: "registry", label: "企业名录" },
  { value: "statistics", label: "统计数据" },
  { value: "rd", label: "研发费用" },
  { value: "certifications", label: "资质认定" },
  { value: "awards", label: "已获奖补" },
] as const;

export type ImportKindValue = (typeof IMPORT_KIND_OPTIONS)[number]["value"];

export function kindLabel(kind: string): string {
  return IMPORT_KIND_OPTIONS.find((k) => k.value === kind)?.label ?? "企业数据";
}

export interface ColumnHelp {
  name: string;
  required: boolean;
  note?: string;
}

export const IMPORT_COLUMNS: Record<ImportKindValue, { columns: ColumnHelp[]; note?: string }> = {
  registry: {
    columns: [
      { name: "统一社会信用代码", required: true },
      { name: "企业名称", required: true },
      { name: "所属区县", required: true, note: "区县名称或六位代码；只导入本区县的企业" },
      { name: "行业代码", required: false, note: "国民经济行业代码" },
    ],
    note: "平台上还没有的企业会新建，已有的企业更新名称和行业代码。",
  },
  statistics: {
    columns: [
      { name: "统一社会信用代码", required: true },
      { name: "年份", required: true },
      { name: "营业收入（万元）或 营业收入（元）", required: false },
      { name: "是否规上", required: false, note: "是／否" },
      { name: "从业人员", required: false, note: "人数" },
      { name: "首次升规年份", required: false, note: "首次纳入规上统计的年份（统计部门规上名录的入库年份）" },
    ],
    note: "营业收入、是否规上、从业人员至少要有一列；是否规上和从业人员取文件中最近年度的值。",
  },
  rd: {
    columns: [
      { name: "统一社会信用代码", required: true },
      { name: "年份", required: true },
      { name: "研发费用（万元）或 研发费用（元）", required: true },
    ],
  },
  certifications: {
    columns: [
      { name: "统一社会信用代码", required: true },
      { name: "认定类型", required: true, note: "如 高新技术企业、专精特新中小企业、绿色工厂" },
      { name: "级别", required: false, note: "国家级／市级／区级" },
      { name: "认定日期", required: true, note: "如 2024-03-05" },
      { name: "证书编号", required: false },
      { name: "等级", required: false },
      { name: "是否复核", required: false, note: "是／否" },
    ],
  },
  awards: {
    columns: [
      { name: "统一社会信用代码", required: true },
      { name: "奖补措施", required: true, note: "平台政策库中的措施编号" },
      { name: "年份", required: true },
      { name: "金额（万元）或 金额（元）", required: true },
      { name: "说明", required: false },
    ],
  },
};

/** Rules every kind shares, shown under the column list. */
export const COMMON_RULES = [
  "表头在第一行，全角、半角括号均可，多余的列不读；",
  "金额精确到分（以万元填写时最多六位小数）；",
  "企业须已在平台上（企业名录除外），且属于本区县。",
];

/** A CSV of the bad rows (UTF-8 with BOM so that Excel opens it in Chinese). */
export function problemsCsv(problems: { row: number; field: string; reason: string }[]): string {
  const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [
    "行号,列,原因",
    ...problems.map((p) => [String(p.row), cell(p.field), cell(p.reason)].join(",")),
  ];
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

/** Chongqing time (UTC+8) to the minute, e.g. 2026-12-02 12:20. */
export function chongqingTime(iso: string): string {
  const t = new Date(Date.parse(iso) + 8 * 3600_000).toISOString();
  return `${t.slice(0, 10)} ${t.slice(11, 16)}`;
}

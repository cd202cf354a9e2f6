/**
 * The five import kinds and how a row of each becomes an enterprise or facts of the fact vocabulary
 * (packages/policies/vocabulary/facts.yaml). Column names are the ones departments use (several spellings
 * each; full- and half-width brackets alike). Each row is validated on its own: a bad row names the column
 * and the reason in Chinese; the database checks (enterprise known, district) come later, in run-import.ts.
 */
import { usccProblem, type Vocabulary } from "@huiqi/engine";
import { type MoneyUnit, toYuan } from "./decimal.ts";
import { normalizeHeader, type TableRow } from "./table.ts";

export const IMPORT_KINDS = ["registry", "statistics", "rd", "certifications", "awards"] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const KIND_LABELS: Record<ImportKind, string> = {
  registry: "企业名录",
  statistics: "统计数据（营业收入、规上、从业人员）",
  rd: "研发费用",
  certifications: "资质认定名单",
  awards: "已兑现奖补",
};

/** A fact value to write: a whole value (per-year facts by year), or one item merged into a list fact. */
export type FactWrite =
  | { mode: "set"; factId: string; period: string; value: unknown; column: string; asOfYear?: number }
  | { mode: "item"; factId: string; item: Record<string, unknown>; key: string; column: string };

export interface RowProblem {
  row: number;
  /** The column (as named in the file's template), or "整行". */
  field: string;
  reason: string;
}

export interface ParsedRow {
  row: number;
  uscc: string;
  /** Registry rows: the enterprise itself. */
  enterprise?: { name: string; regionCode: string; industryCode: string | null };
  facts: FactWrite[];
}

interface Column {
  /** Column name in the template and in reports. */
  label: string;
  /** Accepted header spellings (normalised) and the money unit they imply. */
  headers: { name: string; unit?: MoneyUnit }[];
  required: boolean;
}

const col = (label: string, required: boolean, ...headers: (string | [string, MoneyUnit])[]): Column => ({
  label,
  required,
  headers: headers.map((h) =>
    typeof h === "string" ? { name: normalizeHeader(h) } : { name: normalizeHeader(h[0]), unit: h[1] },
  ),
});

const USCC = col("统一社会信用代码", true, "统一社会信用代码", "社会信用代码", "信用代码");
const YEAR = col("年份", true, "年份", "年度", "统计年度");

export const COLUMNS: Record<ImportKind, Column[]> = {
  registry: [
    USCC,
    col("企业名称", true, "企业名称", "单位名称", "企业(单位)名称", "名称"),
    col("所属区县", true, "所属区县", "区县", "所在区县", "区县代码", "行政区划代码", "所属区县代码"),
    col("行业代码", false, "行业代码", "国民经济行业代码", "行业分类代码"),
  ],
  statistics: [
    USCC,
    YEAR,
    col("营业收入", false, ["营业收入(万元)", "万元"], ["营业收入(元)", "元"], ["营业收入", "元"]),
    col("是否规上", false, "是否规上", "规上", "是否规模以上", "是否规模以上工业企业"),
    col("从业人员", false, "从业人员", "从业人员数", "从业人员(人)", "年末从业人员", "从业人员期末人数"),
    // 统计部门规上企业名录的入库年份: decides 新升规 awards (免申即享, exemption/).
    col("首次升规年份", false, "首次升规年份", "升规年份", "入库年份", "首次入库年份"),
  ],
  rd: [
    USCC,
    YEAR,
    col(
      "研发费用",
      true,
      ["研发费用(万元)", "万元"],
      ["研发费用(元)", "元"],
      ["研发费用", "元"],
      ["研发投入(万元)", "万元"],
      ["研发投入(元)", "元"],
    ),
  ],
  certifications: [
    USCC,
    col("认定类型", true, "认定类型", "认定名称", "资质类型", "称号"),
    col("级别", false, "级别", "认定级别"),
    col("认定日期", true, "认定日期", "认定时间", "发证日期"),
    col("证书编号", false, "证书编号", "编号"),
    col("等级", false, "等级", "类别"),
    col("是否复核", false, "是否复核", "到期复核"),
  ],
  awards: [
    USCC,
    col("奖补措施", true, "奖补措施", "措施编号", "政策措施编号"),
    YEAR,
    col(
      "金额",
      true,
      ["金额(万元)", "万元"],
      ["金额(元)", "元"],
      ["金额", "元"],
      ["奖补金额(元)", "元"],
      ["奖补金额(万元)", "万元"],
    ),
    col("说明", false, "说明", "备注"),
  ],
};

export interface KindContext {
  vocabulary: Vocabulary;
  /** Measure ids of the library (awards name a measure). */
  measureIds: ReadonlySet<string>;
}

/** Matches the file's header to the kind's columns: header name and unit per column, or the missing ones. */
export function bindColumns(
  kind: ImportKind,
  headers: Iterable<string>,
): { ok: true; bound: Map<string, { header: string; unit?: MoneyUnit }> } | { ok: false; missing: string[] } {
  const present = new Set(headers);
  const bound = new Map<string, { header: string; unit?: MoneyUnit }>();
  const missing: string[] = [];
  for (const c of COLUMNS[kind]) {
    const h = c.headers.find((x) => present.has(x.name));
    if (h) bound.set(c.label, h.unit ? { header: h.name, unit: h.unit } : { header: h.name });
    else if (c.required) missing.push(c.label);
  }
  // At least one statistic per statistics file.
  if (kind === "statistics" && !["营业收入", "是否规上", "从业人员"].some((l) => bound.has(l)))
    missing.push("营业收入、是否规上或从业人员（至少一列）");
  return missing.length ? { ok: false, missing } : { ok: true, bound };
}

const plain = (s: string) => s.replace(/[\s“”"'‘’「」]/g, "");

function enumLookup(values: { value: string; label: string }[] | undefined): Map<string, string> {
  const m = new Map<string, string>();
  for (const v of values ?? []) {
    m.set(plain(v.label), v.value);
    m.set(v.value, v.value);
  }
  return m;
}

/** 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日, 20240305 → YYYY-MM-DD, or null. */
export function parseDate(text: string): string | null {
  const t = text.trim();
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(t) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  if (y < 1980 || y > 2099) return null;
  return `${y}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

function parseYear(text: string): number | null {
  const m = /^(20\d{2})(年|年度)?$/.exec(text.trim());
  return m ? Number(m[1]) : null;
}

function parseBool(text: string): boolean | null {
  const t = text.trim().toLowerCase();
  if (["是", "y", "yes", "true", "1", "规上", "√"].includes(t)) return true;
  if (["否", "n", "no", "false", "0", "规下", "×"].includes(t)) return false;
  return null;
}

const LEVELS: Record<string, string> = {
  国家级: "national",
  国家: "national",
  市级: "municipal",
  市: "municipal",
  区级: "district",
  区县级: "district",
  区: "district",
  县级: "district",
};

/** Builds the row parser of a kind, once per import (enum lookups from the vocabulary). */
export function rowParser(
  kind: ImportKind,
  ctx: KindContext,
  bound: Map<string, { header: string; unit?: MoneyUnit }>,
) {
  const facts = new Map(ctx.vocabulary.facts.map((f) => [f.id, f]));
  const regions = enumLookup(facts.get("regionCode")?.values);
  const certFields = facts.get("certifications")?.fields ?? [];
  const certKinds = enumLookup(certFields.find((f) => f.id === "kind")?.values);

  return (input: TableRow): { ok: true; row: ParsedRow } | { ok: false; problems: RowProblem[] } => {
    const problems: RowProblem[] = [];
    const bad = (field: string, reason: string) => problems.push({ row: input.row, field, reason });
    const cell = (label: string): string => {
      const b = bound.get(label);
      return b ? (input.cells.get(b.header) ?? "").trim() : "";
    };
    const money = (label: string): number | undefined => {
      const text = cell(label);
      if (text === "") return undefined;
      const r = toYuan(text, bound.get(label)?.unit ?? "元");
      if (!r.ok) {
        bad(label, r.reason);
        return undefined;
      }
      return r.yuan;
    };

    const uscc = cell("统一社会信用代码").toUpperCase();
    if (uscc === "") bad("统一社会信用代码", "不能为空");
    else {
      const p = usccProblem(uscc);
      if (p) bad("统一社会信用代码", p);
    }
    const out: ParsedRow = { row: input.row, uscc, facts: [] };
    const year = (): number | undefined => {
      const t = cell("年份");
      const y = parseYear(t);
      if (y === null) bad("年份", t === "" ? "不能为空" : `应为 2000—2099 的四位年份，实际为「${t}」`);
      return y ?? undefined;
    };

    switch (kind) {
      case "registry": {
        const name = cell("企业名称");
        if (name === "") bad("企业名称", "不能为空");
        else if (name.length > 200) bad("企业名称", "最多 200 个字符");
        const r = cell("所属区县");
        const regionCode =
          regions.get(plain(r)) ?? regions.get(`${plain(r)}区`) ?? regions.get(`${plain(r)}县`);
        if (!regionCode)
          bad(
            "所属区县",
            r === ""
              ? "不能为空"
              : `不认识的区县「${r}」（应为重庆市的区县名称或六位代码，如 巴南区 或 500113）`,
          );
        const industry = cell("行业代码").toUpperCase();
        if (industry && !/^[A-T](\d{2}|\d{3}|\d{4})?$/.test(industry))
          bad("行业代码", `应为国民经济行业分类代码（GB/T 4754-2017），如 C3670，实际为「${industry}」`);
        if (regionCode && name) out.enterprise = { name, regionCode, industryCode: industry || null };
        break;
      }
      case "statistics": {
        const y = year();
        const revenue = money("营业收入");
        const scaleText = cell("是否规上");
        const aboveScale = scaleText === "" ? undefined : parseBool(scaleText);
        if (aboveScale === null) bad("是否规上", `应为“是”或“否”，实际为「${scaleText}」`);
        const empText = cell("从业人员").replace(/[,，\s]/g, "");
        let employees: number | undefined;
        if (empText !== "") {
          if (!/^-?\d+$/.test(empText)) bad("从业人员", `应为整数人数，实际为「${empText}」`);
          else if (Number(empText) < 0) bad("从业人员", "人数不能为负数");
          else employees = Number(empText);
        }
        const firstText = cell("首次升规年份");
        const firstYear = firstText === "" ? undefined : parseYear(firstText);
        if (firstYear === null) bad("首次升规年份", `应为 2000—2099 的四位年份，实际为「${firstText}」`);
        else if (firstYear !== undefined && y !== undefined && firstYear > y)
          bad("首次升规年份", `不能晚于本行的年份 ${y}`);
        else if (firstYear !== undefined)
          out.facts.push({
            mode: "set",
            factId: "aboveScaleFirstYear",
            period: "",
            value: firstYear,
            column: "首次升规年份",
          });
        if (y !== undefined) {
          if (revenue !== undefined)
            out.facts.push({
              mode: "set",
              factId: "revenue",
              period: String(y),
              value: revenue,
              column: "营业收入",
            });
          if (aboveScale !== undefined && aboveScale !== null)
            out.facts.push({
              mode: "set",
              factId: "aboveScale",
              period: "",
              value: aboveScale,
              column: "是否规上",
              asOfYear: y,
            });
          if (employees !== undefined)
            out.facts.push({
              mode: "set",
              factId: "employees",
              period: "",
              value: employees,
              column: "从业人员",
              asOfYear: y,
            });
        }
        if (problems.length === 0 && out.facts.length === 0)
          bad("整行", "没有任何统计数值（营业收入、是否规上、从业人员均为空）");
        break;
      }
      case "rd": {
        const y = year();
        const rd = money("研发费用");
        if (rd === undefined && cell("研发费用") === "") bad("研发费用", "不能为空");
        if (y !== undefined && rd !== undefined)
          out.facts.push({
            mode: "set",
            factId: "rdExpense",
            period: String(y),
            value: rd,
            column: "研发费用",
          });
        break;
      }
      case "certifications": {
        const k = cell("认定类型");
        const certKind = certKinds.get(plain(k));
        if (!certKind)
          bad(
            "认定类型",
            k === ""
              ? "不能为空"
              : `不认识的认定类型「${k}」（应为平台认定类型之一，如 专精特新中小企业、高新技术企业）`,
          );
        const l = cell("级别");
        const level = l === "" ? undefined : LEVELS[plain(l)];
        if (l !== "" && !level) bad("级别", `应为 国家级、市级 或 区级，实际为「${l}」`);
        const d = cell("认定日期");
        const date = parseDate(d);
        if (!date) bad("认定日期", d === "" ? "不能为空" : `不是有效日期「${d}」（如 2024-03-05）`);
        const renewalText = cell("是否复核");
        const renewal = renewalText === "" ? undefined : parseBool(renewalText);
        if (renewal === null) bad("是否复核", `应为“是”或“否”，实际为「${renewalText}」`);
        const certId = cell("证书编号");
        const grade = cell("等级");
        if (certId.length > 100) bad("证书编号", "最多 100 个字符");
        if (grade.length > 50) bad("等级", "最多 50 个字符");
        if (certKind && date) {
          const item: Record<string, unknown> = { kind: certKind, date };
          if (level) item.level = level;
          if (grade) item.grade = grade;
          if (renewal) item.renewal = true;
          if (certId) item.id = certId;
          out.facts.push({
            mode: "item",
            factId: "certifications",
            item,
            key: [certKind, level ?? "", date, certId].join("|"),
            column: "认定类型",
          });
        }
        break;
      }
      case "awards": {
        const m = cell("奖补措施");
        if (m === "") bad("奖补措施", "不能为空");
        else if (!ctx.measureIds.has(m))
          bad("奖补措施", `不认识的措施编号「${m}」（应为平台政策库中的措施编号，如 banan-2022-63/1）`);
        const y = year();
        const amount = money("金额");
        if (amount === undefined && cell("金额") === "") bad("金额", "不能为空");
        const note = cell("说明");
        if (note.length > 200) bad("说明", "最多 200 个字符");
        if (m && y !== undefined && amount !== undefined) {
          const item: Record<string, unknown> = { measureId: m, year: y, amount };
          if (note) item.note = note;
          out.facts.push({
            mode: "item",
            factId: "awardsReceived",
            item,
            key: `${m}|${y}`,
            column: "奖补措施",
          });
        }
        break;
      }
    }
    return problems.length > 0 ? { ok: false, problems } : { ok: true, row: out };
  };
}

/** The list item's identity: certifications by kind, level, date and certificate number; awards by measure and year. */
export function itemKey(factId: string, item: Record<string, unknown>): string {
  if (factId === "certifications")
    return [item.kind ?? "", item.level ?? "", item.date ?? "", item.id ?? ""].map(String).join("|");
  return `${String(item.measureId ?? "")}|${String(item.year ?? "")}`;
}

/** Chinese terminal rendering of match results and explanations. */
import type {
  AmountExplanation,
  Engine,
  ExplanationNode,
  MatchResult,
  MeasureExplanation,
  MeasureResult,
} from "@huiqi/engine";
import { formatFen, formatRange } from "@huiqi/engine";
import { departmentName } from "@huiqi/policies";
import Table from "cli-table3";

const OUTCOME: Record<MeasureResult["outcome"], string> = {
  eligible: "✔ 符合",
  undetermined: "？待确认",
  ineligible: "✘ 不符合",
};

const BENEFIT: Record<string, string> = {
  award: "奖励",
  subsidy: "补助",
  interestSubsidy: "贴息",
  matching: "配套",
  insurance: "保险",
  training: "培训",
  voucher: "消费券",
  service: "服务",
  financing: "融资",
  taxRelief: "减税降费",
  talent: "人才",
  coordination: "统筹协调",
  target: "目标",
};

/** Terminal column width of one character: East Asian wide and fullwidth characters take two. */
function charWidth(code: number): number {
  return (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6)
    ? 2
    : 1;
}

/** Wraps text to a display width, keeping ASCII words whole; cli-table3's own wrapping drops CJK characters. */
export function wrap(text: string, width: number): string {
  const lines: string[] = [];
  for (const para of text.split("\n")) {
    let line = "";
    let w = 0;
    // Segments: a run of ASCII non-space characters, a space, or one other character.
    for (const seg of para.match(/[!-~]+| |[^ !-~]/gu) ?? []) {
      let sw = 0;
      for (const ch of seg) sw += charWidth(ch.codePointAt(0) ?? 0);
      if (w + sw > width && line !== "") {
        lines.push(line.trimEnd());
        line = "";
        w = 0;
        if (seg === " ") continue;
      }
      if (sw > width) {
        // A word longer than the column: cut it.
        for (const ch of seg) {
          const cw = charWidth(ch.codePointAt(0) ?? 0);
          if (w + cw > width) {
            lines.push(line);
            line = "";
            w = 0;
          }
          line += ch;
          w += cw;
        }
        continue;
      }
      line += seg;
      w += sw;
    }
    lines.push(line.trimEnd());
  }
  return lines.join("\n");
}

/** A borderless-header table whose cells are pre-wrapped to the column widths. */
export function table(head: string[], widths: number[]) {
  const t = new Table({ head, colWidths: widths.map((w) => w + 2), style: { head: [], border: [] } });
  return {
    push: (cells: string[]) => t.push(cells.map((c, i) => wrap(c, widths[i] ?? 20))),
    toString: () => t.toString(),
  };
}

export function benefitLabel(t: string): string {
  return BENEFIT[t] ?? t;
}

function amountText(r: MeasureResult): string {
  if (!r.monetary) return `（${benefitLabel(r.benefitType)}，非资金）`;
  if (!r.amount) return "—";
  const base = formatRange(r.amount);
  if (r.stacking?.some((s) => s.decision === "notAdded")) return `${base}（不叠加）`;
  return base;
}

function deadline(r: MeasureResult): string {
  return r.validUntil ? `至 ${r.validUntil}` : "长期（至新政策替代）";
}

function contactText(r: MeasureResult): string {
  if (!r.contact) return "";
  return [r.contact.name, r.contact.hotline].filter(Boolean).join(" ");
}

export function renderMatch(
  result: MatchResult,
  engine: Engine,
  opts: { all: boolean; profileName?: string | undefined },
): string {
  const out: string[] = [];
  out.push(
    `企业：${opts.profileName ?? "（未填名称）"}　测算日：${result.asOf}　规则版本：${result.rulesVersion}`,
  );
  const order = { eligible: 0, undetermined: 1, ineligible: 2 } as const;
  const byMoney = (a: MeasureResult, b: MeasureResult) =>
    order[a.outcome] - order[b.outcome] ||
    (b.amount?.max ?? Number.MAX_SAFE_INTEGER) - (a.amount?.max ?? Number.MAX_SAFE_INTEGER) ||
    a.measureId.localeCompare(b.measureId, "en", { numeric: true });
  const money = result.results
    .filter((r) => r.monetary && (opts.all || r.outcome !== "ineligible"))
    .sort(byMoney);
  const rows = table(
    ["措施", "结果", "金额", "执行期限", "牵头单位", "服务人员／热线"],
    [38, 9, 24, 14, 12, 14],
  );
  for (const r of money) {
    const why =
      r.outcome === "undetermined"
        ? `\n待答：${r.missing.map((k) => engine.factLabel(k)).join("、")}`
        : r.outcome === "ineligible"
          ? `\n原因：${r.reason ?? ""}`
          : "";
    rows.push([
      `${r.measureId}\n${r.title}`,
      OUTCOME[r.outcome],
      amountText(r) + why,
      deadline(r),
      departmentName(r.leadDepartment),
      contactText(r),
    ]);
  }
  const counts = { eligible: 0, undetermined: 0, ineligible: 0 };
  for (const r of result.results) counts[r.outcome]++;
  out.push(
    `共 ${result.results.length} 项措施：符合 ${counts.eligible} 项，待确认 ${counts.undetermined} 项，不符合 ${counts.ineligible} 项${opts.all ? "" : "（不符合的未列出，加 --all 查看）"}`,
  );
  out.push("", "资金类措施：");
  out.push(money.length ? rows.toString() : "（没有符合或待确认的资金类措施）");

  const services = result.results
    .filter((r) => !r.monetary && (opts.all || r.outcome !== "ineligible"))
    .sort(byMoney);
  if (services.length) {
    out.push("", "服务、融资与协调类措施（不直接发放资金）：");
    for (const r of services) {
      const tail =
        r.outcome === "undetermined"
          ? `；待答：${r.missing.map((k) => engine.factLabel(k)).join("、")}`
          : r.outcome === "ineligible"
            ? `；原因：${r.reason ?? ""}`
            : "";
      out.push(
        `  ${OUTCOME[r.outcome]}  ${r.measureId} ${r.title}（${benefitLabel(r.benefitType)}，${departmentName(r.leadDepartment)}${contactText(r) ? `，${contactText(r)}` : ""}${tail}）`,
      );
    }
  }

  if (result.stacking.length) {
    out.push("", "从高不重复：");
    for (const s of result.stacking) out.push(`  · ${s.title}：${s.reason}`);
  }
  const t = result.totals;
  out.push("", `已确认可享受：${formatRange(t.eligible)}（已按从高不重复扣除不叠加部分）`);
  if (counts.undetermined > 0)
    out.push(
      `若待确认措施全部符合，最多可达：${t.potentialMax === null ? "上限未定（部分措施按比例计算、条件未答）" : formatFen(t.potentialMax)}`,
    );
  if (result.questions.length) {
    out.push("", "回答这些问题，可以确定更多资金：");
    result.questions.forEach((q, i) => {
      const stake =
        q.moneyAtStake === null
          ? "涉及金额上限未定"
          : q.moneyAtStake > 0
            ? `关系 ${formatFen(q.moneyAtStake)}`
            : "非资金措施";
      out.push(`  ${i + 1}. ${q.question}（${stake}；涉及 ${q.measures.join("、")}）`);
    });
  }
  return out.join("\n");
}

const AMOUNT_KIND: Record<string, string> = {
  sum: "合计",
  max: "取各方式中较高者",
  min: "取较低者",
  cap: "封顶",
  floor: "保底",
  tiers: "按档次",
  cases: "按情形",
  topUp: "晋级补差",
  forEach: "逐项计算后相加",
  fixed: "定额",
  range: "区间",
  upTo: "最高",
  rate: "按比例",
  perUnit: "按数量",
  expr: "按公式",
};

function value(v: unknown, unit?: string): string {
  if (v === "未知" || v === undefined) return "未知";
  if (typeof v === "number" && unit === "元") return `${v.toLocaleString("en-US")}元`;
  if (v === null) return "无";
  if (typeof v === "boolean") return v ? "是" : "否";
  if (Array.isArray(v)) return v.length === 0 ? "（空）" : `${v.length} 条记录`;
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

function mark(r: boolean | "unknown"): string {
  return r === "unknown" ? "？" : r ? "✔" : "✘";
}

function renderCondition(n: ExplanationNode, indent: string, out: string[]): void {
  const joiner =
    n.kind === "all"
      ? "以下全部满足"
      : n.kind === "any"
        ? "以下任一满足"
        : n.kind === "not"
          ? "不得满足以下条件"
          : "";
  const head = n.label ? `${n.label}${joiner ? `（${joiner}）` : ""}` : (n.expr ?? joiner);
  out.push(`${indent}${mark(n.result)} ${head}`);
  if (n.quote) out.push(`${indent}    原文：“${n.quote}”`);
  if (n.expr && n.label)
    out.push(`${indent}    规则：${n.expr}${n.required ? `（要求 ${n.required}）` : ""}`);
  for (const f of n.facts ?? []) out.push(`${indent}    实际：${f.label} = ${value(f.value, f.unit)}`);
  for (const c of n.children ?? []) renderCondition(c, `${indent}    `, out);
}

function renderAmount(a: AmountExplanation, indent: string, out: string[]): void {
  const head = a.label ?? a.formula ?? AMOUNT_KIND[a.kind] ?? a.kind;
  out.push(`${indent}= ${formatRange(a.amount)}　${head}${a.formula && a.label ? `（${a.formula}）` : ""}`);
  if (a.quote) out.push(`${indent}    原文：“${a.quote}”`);
  for (const f of a.facts ?? []) out.push(`${indent}    实际：${f.label} = ${value(f.value, f.unit)}`);
  for (const c of a.conditions ?? []) renderCondition(c, `${indent}    `, out);
  for (const c of a.children ?? []) renderAmount(c, `${indent}    `, out);
}

export function renderExplanation(e: MeasureExplanation): string {
  const out: string[] = [];
  out.push(`${e.measureId}　${e.title}`);
  out.push(`结果：${OUTCOME[e.outcome]}`);
  out.push(`出处：${e.citation.issuer}《${e.citation.docNumber}》${e.citation.item}`);
  out.push(`原文：${e.citation.clause}`);
  out.push("");
  out.push(
    `${mark(e.validity.ok)} 执行期限：${e.validity.from} 至 ${e.validity.until ?? "新政策替代为止"}（测算日 ${e.validity.asOf}）${e.validity.quote ? `\n    原文：“${e.validity.quote}”` : ""}`,
  );
  out.push(`${mark(e.region.result)} 适用地区：${e.region.required}（企业所在：${value(e.region.actual)}）`);
  if (e.eligibility) renderCondition(e.eligibility, "", out);
  else out.push("（原文未设申报条件）");
  if (e.amount) {
    out.push("", "金额：");
    renderAmount(e.amount, "  ", out);
  }
  if (e.notes?.length) {
    out.push("", "口径说明：");
    for (const n of e.notes) out.push(`  · ${n.topic}：${n.reading}\n    原文：“${n.quote}”`);
  }
  const i = e.interpretation;
  out.push("", "政策解读：", `  谁可以申报：${i.who}`, `  可以得到：${i.what}`);
  if (i.deadline) out.push(`  申报期限：${i.deadline}`);
  if (i.materials?.length) out.push(`  常需材料：${i.materials.join("；")}`);
  if (i.howToApply) out.push(`  怎么申报：${i.howToApply}`);
  return out.join("\n");
}

/** Chinese terminal rendering of match results and explanations. */
import type { Engine, MatchResult, MeasureExplanation, MeasureResult } from "@huiqi/engine";
import { AMOUNT_UNSTATED_TEXT, formatFen, formatRange } from "@huiqi/engine";
import { departmentName } from "@huiqi/policies";
import Table from "cli-table3";
import { explainText, missingText, reasonText } from "./explain-format.ts";

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
  if (r.amountUnstated) return AMOUNT_UNSTATED_TEXT;
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
        ? `\n待答：${missingText(r.missing, engine)}`
        : r.outcome === "ineligible"
          ? `\n原因：${reasonText(r, engine)}`
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
          ? `；待答：${missingText(r.missing, engine)}`
          : r.outcome === "ineligible"
            ? `；原因：${reasonText(r, engine)}`
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

/** `huiqi explain`: the engine's one explanation renderer (the web and the golden files use it too). */
export function renderExplanation(e: MeasureExplanation, engine: Engine): string {
  return explainText(e, engine);
}

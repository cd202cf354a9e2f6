/** A readable Chinese summary of a draft (for `huiqi ingest` and for a preview pane). */
import type { ClauseNode, DocumentDraft, MoneyCandidate, RateCandidate } from "./types.ts";

const wan = (fen: number) => {
  const y = fen / 100;
  if (y >= 1e8 && y % 1e6 === 0) return `${y / 1e8}亿元`;
  if (y >= 1e4 && y % 100 === 0) return `${y / 1e4}万元`;
  return `${y}元`;
};

export function moneyLabel(a: MoneyCandidate): string {
  const v =
    a.bound === "range"
      ? `${wan(a.min)}～${a.max === null ? "" : wan(a.max)}`
      : a.bound === "cap"
        ? `不超过${wan(a.min)}`
        : a.bound === "floor"
          ? `不低于${wan(a.min)}`
          : wan(a.min);
  const role = a.role === "threshold" ? `门槛${a.comparator ?? ""}` : a.role === "other" ? "其他" : "";
  return `${v}${a.per ? `／每${a.per}` : ""}${role ? `（${role}）` : ""}`;
}

const rateLabel = (r: RateCandidate) =>
  `${r.bound === "cap" ? "不超过" : r.bound === "floor" ? "不低于" : ""}${r.base ? `${r.base}的` : ""}${r.rate}${r.role === "threshold" ? "（门槛）" : ""}`;

export function renderSummary(d: DocumentDraft): string {
  const out: string[] = [];
  const md = d.metadata;
  out.push(`文件：${md.title?.value ?? "（未识别标题）"}`);
  out.push(`文号：${md.docNumber?.value ?? "（未识别）"}`);
  out.push(`发文机关：${md.issuers.map((i) => i.value).join("、") || "（未识别）"}`);
  out.push(
    `成文日期：${md.issuedOn?.value ?? "（未识别）"}${md.printedOn ? `；印发日期：${md.printedOn.value}` : ""}`,
  );
  if (md.recipients.length) out.push(`主送：${md.recipients.map((r) => r.value).join("、")}`);
  const validity = [
    md.validFrom ? `自 ${md.validFrom.value} 起（${md.validFrom.quote}）` : "",
    md.validUntil ? `至 ${md.validUntil.value}（${md.validUntil.quote}）` : "",
  ].filter(Boolean);
  out.push(`执行期限：${validity.join("，") || "文件未统一规定"}`);
  if (md.applicationDeadline)
    out.push(`申报截止：${md.applicationDeadline.value}（${md.applicationDeadline.quote}）`);
  if (md.annexes.length)
    out.push(
      `附件：${md.annexes.map((a) => `${a.number ?? ""}${a.number ? "." : ""}${a.title}`).join("；")}`,
    );
  if (d.stacking.length) out.push(`不重复享受：${[...new Set(d.stacking.map((s) => s.text))].join("、")}`);
  out.push("");
  out.push("条款结构：");
  const outline = (n: ClauseNode, depth: number) => {
    for (const c of n.children) {
      const mark = d.measureKind === c.kind && !c.inNotice ? "●" : "·";
      out.push(
        `${"  ".repeat(depth)}${mark} ${c.marker}${c.heading || c.text.slice(c.marker.length, c.marker.length + 24)}`,
      );
      outline(c, depth + 1);
    }
  };
  outline(d.clauses, 1);
  out.push("");
  out.push(`措施（${d.measures.length} 条，● 为识别为措施的编号层级）：`);
  for (const m of d.measures) {
    out.push(`【${m.id}】${m.title}${m.group ? `（${m.group}）` : ""}`);
    const money = m.candidates.amounts.map(moneyLabel);
    const rates = m.candidates.rates.map(rateLabel);
    if (money.length || rates.length) out.push(`    金额：${[...money, ...rates].join("；")}`);
    if (m.amount) out.push(`    金额骨架：${JSON.stringify(m.amount)}`);
    if (m.amountUnstated) out.push(`    未写明金额：${m.amountUnstated}`);
    if (m.validUntil)
      out.push(`    期限：至 ${m.validUntil}${m.validityQuote ? `（${m.validityQuote}）` : ""}`);
    const units = [
      m.leadUnit ? `牵头 ${m.leadUnit}` : "",
      m.coUnits?.length ? `配合 ${m.coUnits.join("、")}` : "",
    ].filter(Boolean);
    if (units.length) out.push(`    单位：${units.join("；")}`);
    if (m.contact) out.push(`    联系人：${[m.contact.name, m.contact.hotline].filter(Boolean).join(" ")}`);
    for (const r of m.review) out.push(`    ⚑ ${r.field}：${r.reason}`);
  }
  if (d.contacts.length) {
    out.push("");
    out.push("联系人（表格）：");
    for (const c of d.contacts)
      out.push(
        `  ${c.row ?? ""} ${c.name ?? ""} ${c.unit ?? ""} ${c.person ?? ""} ${c.phone}`.replace(/\s+/g, " "),
      );
  }
  if (d.review.length) {
    out.push("");
    out.push("需编辑核对：");
    for (const r of d.review) out.push(`  ⚑ ${r.field}：${r.reason}`);
  }
  return out.join("\n");
}

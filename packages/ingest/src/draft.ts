/** Assembles the DocumentDraft: measures in the policies YAML shape, units, contacts, validity, review flags. */
import { splitUnits } from "./extract.ts";
import { extractMetadata } from "./metadata.ts";
import { buildTree, paragraphs, walk } from "./structure.ts";
import type {
  ClauseCandidates,
  ClauseNode,
  Contact,
  DocumentDraft,
  DraftMeasure,
  IngestOptions,
  MarkerKind,
  MoneyCandidate,
  ReviewFlag,
  Span,
  UnitNote,
} from "./types.ts";

const yuan = (fen: number) => fen / 100;
const fmtYuan = (fen: number) => (fen % 1000000 === 0 ? `${fen / 1000000}万元` : `${fen / 100}元`);

/** Normalised unit name for comparison: brackets folded, spaces dropped. */
export function normUnit(s: string): string {
  return s
    .replace(/\s/g, "")
    .replace(/[〔［[【(]/g, "（")
    .replace(/[〕］\]】)]/g, "）");
}

const ABBREVIATIONS: [RegExp, string][] = [
  [/经济和信息化委员会$/, "经济信息委"],
  [/经济和信息化局$/, "经济信息局"],
  [/发展和改革委员会$/, "发展改革委"],
  [/人力资源和社会保障局$/, "人力社保局"],
  [/市场监督管理局$/, "市场监管局"],
  [/科学技术局$/, "科技局"],
  [/科学技术委员会$/, "科技委"],
  [/商务委员会$/, "商务委"],
  [/教育委员会$/, "教委"],
  [/国有资产监督管理委员会$/, "国资委"],
  [/规划和自然资源局$/, "规划自然资源局"],
  [/农业农村委员会$/, "农业农村委"],
  [/大数据应用发展管理局$/, "大数据发展局"],
  [/城市管理局$/, "城管局"],
  [/金融工作办公室$/, "金融办"],
];

/** "重庆市经济和信息化委员会" → "市经济信息委"; "重庆市巴南区财政局" → "区财政局". */
export function abbreviateUnit(name: string): string {
  let n = normUnit(name);
  for (const [re, short] of ABBREVIATIONS) n = n.replace(re, short);
  return n
    .replace(/^(?:[\u4e00-\u9fa5]{2,3}(?:省|市))?[\u4e00-\u9fa5]{1,4}(区|县)(?=[\u4e00-\u9fa5]{2})/, "$1")
    .replace(/^[\u4e00-\u9fa5]{2,3}(市|省)(?=[\u4e00-\u9fa5]{2})/, "$1");
}

function lookupDepartment(idx: Map<string, string>, name: string): string | undefined {
  return idx.get(normUnit(name)) ?? idx.get(abbreviateUnit(name));
}

function departmentIndex(departments: Record<string, string> | undefined): Map<string, string> {
  const idx = new Map<string, string>();
  for (const [code, name] of Object.entries(departments ?? {})) {
    const n = normUnit(name);
    idx.set(n, code);
    const paren = /^(.*?)（(.+)）$/.exec(n);
    if (paren) {
      idx.set(paren[1] as string, code);
      idx.set(paren[2] as string, code);
      if (/^区/.test(n) && !/^区/.test(paren[2] as string)) idx.set(`区${paren[2]}`, code);
    }
  }
  return idx;
}

/** A clause whose own text (before its sub-items) is 40 characters or more, or names money. */
function substantive(n: ClauseNode): boolean {
  const own = n.children[0] ? n.text.slice(0, n.children[0].span[0] - n.span[0]) : n.text;
  return own.replace(/\s/g, "").length >= 40 || /给予|奖励|补助|补贴|万元|%/.test(own);
}

/**
 * The numbering level read as the measures: the level with the most items that carry substance (own text of
 * 40 characters or more, or money words) — so short group headings (一、支持企业做大做强) and short condition lists
 * lose to the measures under them; ties go to the level with more items, then to the deeper one.
 */
function chooseMeasureKind(root: ClauseNode, useNotice: boolean): MarkerKind | undefined {
  const stats = new Map<MarkerKind, { n: number; substantive: number; depth: number }>();
  const depthOf = new Map<ClauseNode, number>();
  walk(root, (n, parent) => {
    const d = parent ? (depthOf.get(parent) ?? 0) + 1 : 0;
    depthOf.set(n, d);
    if (n.kind === "root" || n.kind === "text" || n.kind === "annex" || n.kind === "chapter") return;
    if (n.inNotice && !useNotice) return;
    const c = stats.get(n.kind) ?? { n: 0, substantive: 0, depth: 0 };
    c.n++;
    if (substantive(n)) c.substantive++;
    c.depth += d;
    stats.set(n.kind, c);
  });
  let best: [MarkerKind, { n: number; substantive: number; depth: number }] | undefined;
  for (const e of stats) {
    const [, a] = e;
    const b = best?.[1];
    if (
      !b ||
      a.substantive > b.substantive ||
      (a.substantive === b.substantive && (a.n > b.n || (a.n === b.n && a.depth / a.n > b.depth / b.n)))
    )
      best = e;
  }
  // Sub-points numbered afresh inside continuously numbered, substantive items: the items are the measures.
  const kind = best?.[0];
  if (kind) {
    const items: { n: ClauseNode; parent: ClauseNode | undefined }[] = [];
    walk(root, (n, parent) => {
      if (n.kind === kind && (useNotice || !n.inNotice)) items.push({ n, parent });
    });
    const restarts = items.some(
      (x, i) => i > 0 && x.n.ordinal <= (items[i - 1] as { n: ClauseNode }).n.ordinal,
    );
    const parentKinds = new Set(items.map((x) => x.parent?.kind));
    const [pk] = [...parentKinds];
    if (
      restarts &&
      parentKinds.size === 1 &&
      pk &&
      pk !== "root" &&
      pk !== "annex" &&
      pk !== "text" &&
      pk !== "chapter"
    ) {
      const outer: ClauseNode[] = [];
      walk(root, (n) => {
        if (n.kind === pk && (useNotice || !n.inNotice)) outer.push(n);
      });
      const continuous = outer.every(
        (n, i) => i === 0 || n.ordinal === (outer[i - 1] as ClauseNode).ordinal + 1,
      );
      const share = outer.filter(substantive).length / Math.max(1, outer.length);
      if (outer.length >= 3 && continuous && share >= 0.6) return pk as MarkerKind;
    }
  }
  return kind;
}

/** Measure text without document-level paragraphs that follow its closing unit note. */
function clauseSpan(n: ClauseNode, isLast: boolean): Span {
  const paras = paragraphs(n.text).map((p) => ({ ...p, start: p.start + n.span[0], end: p.end + n.span[0] }));
  const childStart = n.children[0]?.span[0] ?? Number.POSITIVE_INFINITY;
  let lastNote = -1;
  paras.forEach((p, i) => {
    if (
      p.start < childStart &&
      /[（〔(][^（）〔〕]*(?:单位|部门)[：:][^（）〔〕]*(?:（[^（）]*）[^（）〔〕]*)*[）〕)]\s*[。；]?$/.test(
        p.text,
      )
    )
      lastNote = i;
  });
  if (
    lastNote >= 0 &&
    lastNote < paras.length - 1 &&
    (paras[paras.length - 1] as { start: number }).start < childStart
  ) {
    return [n.span[0], (paras[lastNote] as { end: number }).end];
  }
  // The last measure: document-level closing paragraphs (本措施自…施行, 各区县可参照…, 从高不重复…) are not its text.
  if (isLast) {
    const cut = paras.findIndex((p, i) => i > 0 && p.start < childStart && DOC_CLOSING.test(p.text));
    if (cut > 0) return [n.span[0], (paras[cut - 1] as { end: number }).end];
  }
  return n.span;
}

const DOC_CLOSING =
  /^(?:本(?:政策|措施|办法|细则|文件|方案|意见|通知|规定|计划)|各区县|各区|各县|各地|各有关单位|各单位|此前|过去|如遇|以上政策|上述政策|同类政策|对国家、|国家、市)|(?:从高|就高)不重复|遵照执行|自(?:印发|发布|公布)之日起/;

function within(span: Span, s: Span): boolean {
  return s[0] >= span[0] && s[1] <= span[1];
}

function filterCandidates(c: ClauseCandidates, span: Span): ClauseCandidates {
  return {
    amounts: c.amounts.filter((x) => within(span, x.span)),
    rates: c.rates.filter((x) => within(span, x.span)),
    dates: c.dates.filter((x) => within(span, x.span)),
    years: c.years.filter((x) => within(span, x.span)),
    units: c.units.filter((x) => within(span, x.span)),
    stacking: c.stacking.filter((x) => within(span, x.span)),
  };
}

const PHONE_SRC = String.raw`(?<![\d-])(?:（0\d{2,3}）|0\d{2,3}[-—－]?)?\d{7,8}(?![\d])|(?<!\d)1[3-9]\d{9}(?!\d)`;
const PHONE = new RegExp(PHONE_SRC, "g");
const UNITISH = /(?:委员会|委|局|办公室|办|中心|公司|银行|支行|管委会|政府|部|组|厅|处|站|院)$/;
const PERSON = /^[\u4e00-\u9fa5·]{2,4}$/;

/**
 * Contacts: table rows ("1 政策名称 区经济信息委 孟耸 66238039", also one cell per line as Word tables come out)
 * and prose ("联系人：张三，联系电话：023-63211234").
 */
export function extractContacts(text: string): Contact[] {
  const paras = paragraphs(text);
  const out: Contact[] = [];
  paras.forEach((p, i) => {
    PHONE.lastIndex = 0;
    const phones = [...p.text.matchAll(PHONE)];
    if (phones.length === 0) return;
    const phone = (phones[0]?.[0] ?? "").replace(/[（）]/g, "").replace(/[—－]/g, "-");
    if (/[，。；]/.test(p.text) || /联系人|电话[：:]/.test(p.text)) {
      const person = /联系人[：:]\s*([\u4e00-\u9fa5·]{2,4})/.exec(p.text);
      const unit =
        /(?:^|[，；。\s])((?:区|市|县|省)[\u4e00-\u9fa5]{1,14}(?:委员会|委|局|办公室|办|中心|管委会))/.exec(
          p.text,
        );
      if (!person && !/电话|热线/.test(p.text)) return;
      const c: Contact = { phone, span: [p.start, p.end] };
      if (person) c.person = person[1] as string;
      if (unit) c.unit = unit[1] as string;
      out.push(c);
      return;
    }
    const firstPhone = phones[0]?.index ?? 0;
    let tokens = p.text.slice(0, firstPhone).trim().split(/\s+/).filter(Boolean);
    let row: number | undefined;
    if (tokens[0] && /^\d{1,3}$/.test(tokens[0])) row = Number(tokens.shift());
    else {
      // Cells on lines of their own: collect back to the row number (or the previous row's phone).
      const cells: string[] = [];
      for (let k = i - 1; k >= Math.max(0, i - 6); k--) {
        const q = paras[k] as { text: string };
        PHONE.lastIndex = 0;
        if (PHONE.test(q.text) || /[，。；：]/.test(q.text) || /序号|联系电话|服务热线/.test(q.text)) break;
        if (/^\d{1,3}$/.test(q.text)) {
          row = Number(q.text);
          tokens = [...cells, ...tokens];
          break;
        }
        cells.unshift(...q.text.split(/\s+/).filter(Boolean));
      }
    }
    let unit: string | undefined;
    let person: string | undefined;
    const last = tokens[tokens.length - 1];
    if (last && PERSON.test(last) && !UNITISH.test(last)) {
      person = last;
      tokens.pop();
    }
    const u = tokens[tokens.length - 1];
    if (u && UNITISH.test(u) && u.length <= 16) {
      unit = u;
      tokens.pop();
    }
    if (!unit && !person && row === undefined) return;
    const c: Contact = { phone, span: [p.start, p.end] };
    if (unit) c.unit = unit;
    if (person) c.person = person;
    if (row !== undefined) c.row = row;
    if (tokens.length) c.name = tokens.join("");
    out.push(c);
  });
  return out;
}

/**
 * Units from a table ("重点任务分工表", or the 牵头单位 column of a contacts table): numbered rows whose cells are
 * unit names; the first unit leads. Rows may be on one line (cells split by spaces) or one cell per line.
 */
export function extractUnitRows(text: string): { row: number; units: string[]; span: Span }[] {
  const paras = paragraphs(text);
  const out: { row: number; units: string[]; span: Span }[] = [];
  const unitCells = (cells: string[]) =>
    cells.flatMap((c) => {
      const names = splitUnits(c);
      return names.length > 0 && names.every((n) => UNIT_CELL.test(n)) ? names : [];
    });
  for (let i = 0; i < paras.length; i++) {
    const p = paras[i] as { start: number; end: number; text: string };
    if (/[，。；]/.test(p.text)) continue;
    const one = /^(\d{1,3})\s+(.+)$/.exec(p.text);
    if (one) {
      const units = unitCells((one[2] as string).split(/\s+/));
      if (units.length) out.push({ row: Number(one[1]), units, span: [p.start, p.end] });
      continue;
    }
    if (!/^\d{1,3}$/.test(p.text)) continue;
    const cells: string[] = [];
    let end = p.end;
    for (let k = i + 1; k < Math.min(paras.length, i + 8); k++) {
      const q = paras[k] as { end: number; text: string };
      if (/^\d{1,3}$/.test(q.text) || /[，。；]/.test(q.text)) break;
      cells.push(...q.text.split(/\s+/));
      end = q.end;
    }
    const units = unitCells(cells);
    if (units.length) out.push({ row: Number(p.text), units, span: [p.start, end] });
  }
  return out.length >= 2 ? out : [];
}

const UNIT_CELL =
  /^(?:[省市区县]|各)[\u4e00-\u9fa5（）〔〕]{1,20}?(?:委员会|委|局|厅|办公室|办|中心|管委会|公司|银行|支行|政府|部|组)$/;

function amountSkeleton(
  m: DraftMeasure,
  text: string,
): { amount?: Record<string, unknown>; amountUnstated?: string; flags: ReviewFlag[] } {
  const flags: ReviewFlag[] = [];
  const money = m.candidates.amounts.filter((a) => a.role === "benefit");
  const rates = m.candidates.rates.filter((r) => r.role === "benefit");
  const clause = text.slice(m.span[0], m.span[1]);
  const quote = (s: Span) => text.slice(s[0], s[1]);
  const node = (a: MoneyCandidate): Record<string, unknown> => {
    if (a.bound === "range") return { range: [yuan(a.min), a.max === null ? null : yuan(a.max)] };
    if (a.bound === "cap") return { upTo: yuan(a.min) };
    if (a.bound === "floor") return { range: [yuan(a.min), null] };
    return { fixed: yuan(a.min) };
  };
  const sentenceOf = (s: Span): string => {
    const from =
      Math.max(
        text.lastIndexOf("。", s[0] - 1),
        text.lastIndexOf("；", s[0] - 1),
        text.lastIndexOf("，", s[0] - 1),
        text.lastIndexOf("\n", s[0] - 1),
        m.span[0] - 1,
      ) + 1;
    return text.slice(from, s[1]);
  };
  for (const a of money) {
    if (a.bound === "floor")
      flags.push({
        field: "amount",
        reason: `「${a.text}」只给出下限（及以上），没有上限，请核对`,
        span: a.span,
      });
  }
  if (rates.length === 1 && money.length <= 1) {
    const r = rates[0] as (typeof rates)[number];
    const rateNode: Record<string, unknown> = { rate: r.rate, base: r.base ?? "待定" };
    flags.push({
      field: "amount.base",
      reason: r.base
        ? `比例的计算基数「${r.base}」需对应到事实词汇中的事实`
        : "未识别出比例的计算基数，请补充",
      span: r.span,
    });
    if (r.bound === "cap") rateNode.label = `不超过${r.base ?? "基数"}的${r.rate}（按最高比例测算）`;
    const cap = money[0];
    if (cap && cap.bound === "cap") {
      return {
        amount: { cap: yuan(cap.min), amount: rateNode, quote: sentenceOf([r.span[0], cap.span[1]]) },
        flags,
      };
    }
    if (cap) {
      flags.push({
        field: "amount",
        reason: `比例之外还有金额「${cap.text}」，二者关系不明确`,
        span: cap.span,
      });
      return { flags };
    }
    return { amount: { ...rateNode, quote: sentenceOf(r.span) }, flags };
  }
  if (rates.length === 0 && money.length === 1) {
    const a = money[0] as MoneyCandidate;
    if (a.per && a.per !== "户" && a.per !== "家" && a.per !== "企业")
      flags.push({
        field: "amount",
        reason: `金额按「每${a.per}」计，若一家企业可有多个，需写成逐项计算（forEach）`,
        span: a.span,
      });
    return { amount: { ...node(a), quote: sentenceOf(a.span) }, flags };
  }
  if (rates.length >= 1 && money.length > 1) {
    flags.push({
      field: "amount",
      reason: `一条措施中有多个金额和比例（${[...money, ...rates].map((a) => a.text).join("、")}），可能需要拆分为子项，金额结构由编辑确定`,
      span: [(money[0] as MoneyCandidate).span[0], (money[money.length - 1] as MoneyCandidate).span[1]],
    });
    return { flags };
  }
  if (rates.length === 0 && money.length > 1) {
    const thresholds = m.candidates.amounts.filter((a) => a.role === "threshold");
    if (
      /分别/.test(clause) &&
      thresholds.length === money.length &&
      money.every((a) => a.bound === "exact")
    ) {
      const steps = thresholds
        .map((t, i) => ({ atLeast: yuan(t.min), amount: yuan((money[i] as MoneyCandidate).min) }))
        .sort((x, y) => x.atLeast - y.atLeast);
      flags.push({
        field: "amount.tiers.value",
        reason: "分档金额按门槛对应，分档比较的事实（value）需指定，并核对门槛是否包括本数",
        span: [
          (thresholds[0] as MoneyCandidate).span[0],
          (money[money.length - 1] as MoneyCandidate).span[1],
        ],
      });
      return {
        amount: { tiers: { value: "待定", steps }, quote: sentenceOf((money[0] as MoneyCandidate).span) },
        flags,
      };
    }
    flags.push({
      field: "amount",
      reason: `一条措施中有${money.length}个金额（${money.map((a) => a.text).join("、")}），可能需要拆分为子项或写成分档，金额结构由编辑确定`,
      span: [(money[0] as MoneyCandidate).span[0], (money[money.length - 1] as MoneyCandidate).span[1]],
    });
    return { flags };
  }
  if (rates.length > 1) {
    flags.push({
      field: "amount",
      reason: `一条措施中有${rates.length}个比例（${rates.map((r) => r.text).join("、")}），金额结构由编辑确定`,
      span: [(rates[0] as { span: Span }).span[0], (rates[rates.length - 1] as { span: Span }).span[1]],
    });
    return { flags };
  }
  const unstated =
    /给予[^。；，]{0,16}?(?:资金|财政资金|奖励|补助|补贴|奖补|扶持|支持)(?:支持|补助|奖励|扶持|补贴)?|(?:资金|奖励|补助|补贴)支持/.exec(
      clause,
    );
  if (unstated && /资金|奖励|补助|补贴|奖补|扶持/.test(unstated[0])) {
    const s: Span = [m.span[0] + unstated.index, m.span[0] + unstated.index + unstated[0].length];
    flags.push({
      field: "amountUnstated",
      reason: "原文给钱但未写明金额，平台显示“金额以申报通知为准”",
      span: s,
    });
    return { amountUnstated: quote(s), flags };
  }
  return { flags };
}

export function buildDraft(text: string, options: IngestOptions = {}): DocumentDraft {
  const { metadata, noticeEnd } = extractMetadata(text);
  let root = buildTree(text, noticeEnd);
  let measureKind = chooseMeasureKind(root, false);
  const review: ReviewFlag[] = [];
  if (!measureKind && noticeEnd > 0) {
    root = buildTree(text, 0);
    measureKind = chooseMeasureKind(root, true);
  }
  const deptIdx = departmentIndex(options.departments);
  const prefix = options.docId ?? "draft";
  const nodes: { node: ClauseNode; parent: ClauseNode | undefined }[] = [];
  walk(root, (n, parent) => {
    if (n.kind === measureKind && !n.inNotice) nodes.push({ node: n, parent });
  });
  if (nodes.length === 0 && measureKind)
    walk(root, (n, parent) => n.kind === measureKind && nodes.push({ node: n, parent }));
  // Numbering that restarts per group: a group none of whose items carries substance (申报材料：（一）申报书；…)
  // is a list, not measures.
  const parents = [...new Set(nodes.map((x) => x.parent))];
  const restarting = nodes.some(
    (x, i) => i > 0 && x.node.ordinal <= (nodes[i - 1] as { node: ClauseNode }).node.ordinal,
  );
  if (parents.length > 1 && restarting) {
    const listy = parents.filter((p) => !nodes.some((x) => x.parent === p && substantive(x.node)));
    if (listy.length > 0 && listy.length < parents.length) {
      for (const p of listy) {
        const dropped = nodes.filter((x) => x.parent === p);
        review.push({
          field: "measures",
          reason: `「${p?.heading || p?.marker || "（未命名）"}」下的 ${dropped.length} 项像是清单而不是措施，未列为措施，请核对`,
          span: p?.span ?? dropped[0]?.node.span,
        });
      }
      const keep = nodes.filter((x) => !listy.includes(x.parent));
      nodes.length = 0;
      nodes.push(...keep);
    }
  }

  const ordinals = nodes.map((x) => x.node.ordinal);
  const restarts = ordinals.some((o, i) => i > 0 && o <= (ordinals[i - 1] as number));
  if (restarts)
    review.push({
      field: "ordinal",
      reason: "措施编号在各组内重新从一开始，编号不唯一，id 已加上组号，请核对",
    });
  ordinals.forEach((o, i) => {
    const prev = ordinals[i - 1];
    if (prev !== undefined && o > prev + 1)
      review.push({
        field: "ordinal",
        reason: `措施编号从 ${prev} 跳到 ${o}，可能漏识别了条款（如跨页断行），请核对`,
        span: (nodes[i] as { node: ClauseNode }).node.span,
      });
  });

  const contacts = extractContacts(text);
  const measures: DraftMeasure[] = [];
  let pending: DraftMeasure[] = [];
  for (const { node, parent } of nodes) {
    const span = clauseSpan(node, node === nodes[nodes.length - 1]?.node);
    const candidates = filterCandidates(node.candidates, span);
    const groupPrefix = restarts && parent && parent.kind !== "root" ? `${parent.ordinal}-` : "";
    const title =
      node.heading || (node.text.slice(node.marker.length).split(/[，。；]/)[0] ?? "").slice(0, 24);
    const m: DraftMeasure = {
      id: `${prefix}/${groupPrefix}${node.ordinal}`,
      ordinal: node.ordinal,
      title,
      monetary: false,
      clause: text.slice(span[0], span[1]),
      span,
      candidates,
      review: [],
    };
    if (!node.heading)
      m.review.push({
        field: "title",
        reason: "条款没有单独的标题，标题取自首句，请改写",
        span: [span[0], Math.min(span[1], span[0] + title.length + node.marker.length)],
      });
    if (parent && parent.kind !== "root" && parent.kind !== "annex" && parent.heading)
      m.group = parent.heading;

    // Units: inline notes belong to the measure; a note standing alone after several measures covers them all.
    const paras = paragraphs(m.clause);
    const standalone = (u: UnitNote) =>
      paras.some(
        (p) => p.start + span[0] === u.span[0] && /^[。；]?$/.test(text.slice(u.span[1], p.end + span[0])),
      );
    const own = candidates.units.filter((u) => !standalone(u));
    const alone = candidates.units.filter(standalone);
    if (own.some((u) => u.lead.length > 0)) {
      applyUnits(m, mergeNotes(own));
      pending = [];
    } else pending.push(m);
    if (alone.length > 0) {
      const note = alone.some((u) => u.lead.length > 0)
        ? mergeNotes(alone)
        : (alone[alone.length - 1] as UnitNote);
      const covered = own.length > 0 ? [m] : pending;
      for (const x of covered) {
        if (x.leadUnit) continue;
        applyUnits(x, note);
        if (covered.length > 1)
          x.review.push({
            field: "leadDepartment",
            reason: `责任单位写在一组 ${covered.length} 条措施之后，已用于本组每一条，请核对`,
            span: note.span,
          });
      }
      pending = [];
    }
    measures.push(m);
  }
  // Group-level notes in the heading text of an enclosing group.
  for (const [i, { parent }] of nodes.entries()) {
    const m = measures[i] as DraftMeasure;
    if (m.leadUnit || !parent || parent.kind === "root") continue;
    const firstChild = parent.children[0]?.span[0] ?? parent.span[1];
    const note = parent.candidates.units.find((u) => u.span[1] <= firstChild);
    if (note) applyUnits(m, note);
  }

  // Units from a table whose rows are numbered like the measures.
  const unitRows = extractUnitRows(text);
  for (const m of measures) {
    if (m.leadUnit) continue;
    const row = unitRows.find((r) => r.row === m.ordinal);
    if (!row) continue;
    applyUnits(m, { lead: row.units.slice(0, 1), co: row.units.slice(1), label: "表格", span: row.span });
    m.review.push({
      field: "leadDepartment",
      reason: `单位取自表格第 ${row.row} 行，请核对`,
      span: row.span,
    });
  }

  // A department's own document that names no unit anywhere: the issuing department leads.
  const issuer = metadata.issuers.length === 1 ? metadata.issuers[0] : undefined;
  const departmentIssued = issuer && !/人民政府|办公室$|办公厅$/.test(issuer.value);
  if (departmentIssued && measures.every((m) => !m.leadUnit))
    for (const m of measures) {
      m.leadUnit = issuer.value;
      m.review.push({
        field: "leadDepartment",
        reason: `原文各条均未写明牵头单位，暂按发文机关「${issuer.value}」牵头，请核对`,
        span: issuer.span,
      });
    }

  // Units → department codes; contacts; validity; amounts; stacking.
  for (const m of measures) {
    if (m.leadUnit) {
      if (deptIdx.size > 0) {
        const code = lookupDepartment(deptIdx, m.leadUnit);
        if (code) m.leadDepartment = code;
        else {
          m.leadDepartment = m.leadUnit;
          m.review.push({
            field: "leadDepartment",
            reason: `「${m.leadUnit}」不在部门名录中，需指定部门代码`,
          });
        }
        const cos = (m.coUnits ?? []).map((u) => lookupDepartment(deptIdx, u) ?? u);
        if (cos.length) m.coDepartments = cos;
      } else {
        m.leadDepartment = m.leadUnit;
        if (m.coUnits?.length) m.coDepartments = [...m.coUnits];
      }
    } else {
      m.review.push({
        field: "leadDepartment",
        reason: "原文未写明本条的牵头或责任单位，请指定",
        span: m.span,
      });
    }
    const table = contacts.filter((c) => c.row !== undefined || c.name !== undefined);
    const rowsWithNumbers = table.some((c) => c.row !== undefined);
    const contact =
      contacts.find((c) => within(m.span, c.span)) ??
      table.find((c) =>
        rowsWithNumbers
          ? c.row === m.ordinal && (!c.unit || !m.leadUnit || normUnit(c.unit) === normUnit(m.leadUnit))
          : c.name && (m.title.startsWith(c.name) || c.name.startsWith(m.title)),
      );
    const docContacts = contacts.filter(
      (c) => c.row === undefined && !c.name && !measures.some((x) => within(x.span, c.span)),
    );
    const shared = !contact && docContacts.length === 1 ? docContacts[0] : undefined;
    const chosen = contact ?? shared;
    if (chosen) {
      m.contact = { hotline: chosen.phone };
      if (chosen.person) m.contact.name = chosen.person;
      if (shared)
        m.review.push({
          field: "contact",
          reason: "联系人取自文件末尾的联系方式，请核对",
          span: shared.span,
        });
    }

    const deadlines = m.candidates.dates.filter((d) => d.role === "deadline");
    const distinct = [...new Set(deadlines.map((d) => d.date))];
    if (distinct.length > 0) {
      const d = deadlines[deadlines.length - 1] as (typeof deadlines)[number];
      m.validUntil = d.date;
      const from =
        Math.max(text.lastIndexOf("，", d.span[0]), text.lastIndexOf("。", d.span[0]), m.span[0] - 1) + 1;
      m.validityQuote = text.slice(from, d.span[1]);
      if (distinct.length > 1)
        m.review.push({
          field: "validUntil",
          reason: `本条有${distinct.length}个截止日期（${distinct.join("、")}），取了最后一个，请核对`,
          span: d.span,
        });
    } else if (metadata.validUntil) {
      m.validUntil = metadata.validUntil.value;
      m.validityQuote = metadata.validUntil.quote;
    } else if (metadata.applicationDeadline) {
      m.validUntil = metadata.applicationDeadline.value;
      m.validityQuote = metadata.applicationDeadline.quote;
      m.review.push({
        field: "validUntil",
        reason: "本条未写执行期限，取了文件的申报截止时间，请核对",
        span: metadata.applicationDeadline.span,
      });
    }
    const from = m.candidates.dates.find((d) => d.role === "from");
    if (from) m.validFrom = from.date;
    const yearly = m.candidates.dates.find((d) => d.role === "yearly");
    if (yearly)
      m.review.push({
        field: "validUntil",
        reason: `每年的申报截止日「${yearly.text}」需写入申报日历`,
        span: yearly.span,
      });

    const sk = amountSkeleton(m, text);
    if (sk.amount) m.amount = sk.amount;
    if (sk.amountUnstated) m.amountUnstated = sk.amountUnstated;
    m.monetary = Boolean(sk.amount || sk.amountUnstated || sk.flags.some((f) => f.field === "amount"));
    m.review.push(...sk.flags);
    for (const t of m.candidates.amounts.filter((a) => a.role === "threshold" && a.comparator === "<=")) {
      if (/以下/.test(text.slice(t.span[1], t.span[1] + 3)))
        m.review.push({
          field: "eligibility",
          reason: `「${t.text}以下」按民法典第一千二百五十九条包括本数；若同一数量另有「及以上」对举，本数归「及以上」一方，请核对边界`,
          span: t.span,
        });
    }
    for (const s of m.candidates.stacking)
      m.review.push({
        field: "stacking",
        reason: `本条有「${s.text}」的表述，需编入从高不重复组`,
        span: s.span,
      });
    if (m.monetary && !m.amount && !m.amountUnstated && !sk.flags.some((f) => f.field === "amount"))
      m.review.push({ field: "amount", reason: "金额结构不唯一，未生成金额骨架", span: m.span });
  }

  const stacking: DocumentDraft["stacking"] = [];
  walk(root, (n) => {
    for (const s of n.candidates.stacking)
      if (!stacking.some((x) => x.span[0] === s.span[0])) stacking.push(s);
  });
  // Stacking words outside any clause node (closing paragraphs).
  const re = /从高不重复|就高不重复|不重复享受|按就高原则|就高不就低/g;
  for (let mm = re.exec(text); mm; mm = re.exec(text))
    if (!stacking.some((x) => x.span[0] === mm?.index))
      stacking.push({ kind: "stacking", text: mm[0], span: [mm.index, mm.index + mm[0].length] });
  stacking.sort((a, b) => a.span[0] - b.span[0]);
  for (const s of stacking)
    if (!measures.some((m) => within(m.span, s.span)))
      review.push({
        field: "stacking",
        reason: `文件有「${s.text}」的规定，需建立从高不重复组并核对适用范围`,
        span: s.span,
      });

  if (!metadata.docNumber) review.push({ field: "docNumber", reason: "未识别出文号" });
  if (!metadata.issuedOn) review.push({ field: "issuedOn", reason: "未识别出成文日期" });
  if (!metadata.title) review.push({ field: "title", reason: "未识别出文件标题" });
  if (
    metadata.validUntil &&
    /[—–-]/.test(metadata.validUntil.quote) &&
    !/有效期/.test(metadata.validUntil.quote)
  )
    review.push({
      field: "validUntil",
      reason: `执行期限取自标题中的年度区间「${metadata.validUntil.quote}」，按最后一年年底计，请核对`,
      span: metadata.validUntil.span,
    });
  if (!metadata.validUntil && measures.every((m) => !m.validUntil))
    review.push({
      field: "validUntil",
      reason: "文件和各条措施都未写明执行期限，按“长期有效直至被替代”处理，请核对",
    });
  if (measures.length === 0) review.push({ field: "measures", reason: "未识别出编号的措施条款" });

  const draft: DocumentDraft = { metadata, clauses: root, measures, contacts, stacking, review };
  if (measureKind) draft.measureKind = measureKind;
  if (options.fileName) draft.fileName = options.fileName;
  return draft;
}

/** Several notes of one measure ("牵头单位：…" and "配合单位：…" on separate lines) → one. */
function mergeNotes(notes: UnitNote[]): UnitNote {
  const withLead = notes.find((n) => n.lead.length > 0) as UnitNote;
  const co = notes.flatMap((n) => (n === withLead ? n.co : [...n.lead, ...n.co]));
  return { ...withLead, co: [...withLead.co, ...co.filter((u) => !withLead.co.includes(u))] };
}

function applyUnits(m: DraftMeasure, note: UnitNote): void {
  const lead = note.lead[0];
  if (!lead) return;
  m.leadUnit = lead;
  const co = [...note.lead.slice(1), ...note.co].filter((u, i, a) => a.indexOf(u) === i && u !== lead);
  if (co.length) m.coUnits = co;
  if (note.label === "（未标注）")
    m.review.push({
      field: "leadDepartment",
      reason: "括号中的单位未写“牵头单位／责任单位”，按第一个单位为牵头单位，请核对",
      span: note.span,
    });
}

export { fmtYuan, splitUnits };

/**
 * The measures as plain objects in the packages/policies measures.yaml shape (plus `review`), without the
 * candidate lists and spans: what an editor pastes into measures.yaml and completes.
 */
export function toPolicyMeasures(draft: DocumentDraft): Record<string, unknown>[] {
  return draft.measures.map((m) => {
    const out: Record<string, unknown> = { id: m.id, ordinal: m.ordinal, title: m.title };
    if (m.group) out.group = m.group;
    out.monetary = m.monetary;
    out.clause = m.clause.replace(/\n/g, "");
    if (m.leadDepartment) out.leadDepartment = m.leadDepartment;
    if (m.coDepartments?.length) out.coDepartments = m.coDepartments;
    if (m.contact) out.contact = m.contact;
    if (m.validFrom) out.validFrom = m.validFrom;
    if (m.validUntil) out.validUntil = m.validUntil;
    if (m.validityQuote) out.validityQuote = m.validityQuote;
    if (m.amount) out.amount = m.amount;
    if (m.amountUnstated) out.amountUnstated = m.amountUnstated;
    if (m.review.length) out.review = m.review;
    return out;
  });
}

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { compileRules } from "@huiqi/engine";
import { ingestText } from "@huiqi/ingest";
import {
  departmentCodes,
  departmentName,
  documentFromFiles,
  libraryFromSources,
  readDocumentSources,
} from "@huiqi/policies";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  amountWords,
  defaultBenefitType,
  defaultWho,
  firstSentence,
  type ReviewedDocument,
  reviewProblems,
  toDocumentFiles,
  usableAmount,
} from "./to-files.ts";

const source = readFileSync(
  fileURLToPath(new URL("../../../../../ingest/fixtures/digital-economy.txt", import.meta.url)),
  "utf8",
);

const reviewed = (): ReviewedDocument => ({
  id: "doc-2024-18",
  docNumber: "某府办发〔2024〕18号",
  title: "重庆市某某区人民政府办公室关于印发某某区促进数字经济发展若干措施的通知",
  issuer: "重庆市某某区人民政府办公室",
  issuedOn: "2024-03-15",
  level: "district",
  regionCode: "500113",
  validFrom: "2024-03-15",
  validUntil: "2025-12-31",
  validityQuote: "有效期至2025年12月31日",
  source,
  measures: [
    {
      ordinal: 6,
      title: "支持应用场景开放",
      benefitType: "award",
      monetary: true,
      clause:
        "六、支持应用场景开放。对入选区级数字化应用场景示范项目的，给予单个项目最高１００万元奖励。（牵头单位：区经济信息委）",
      leadDepartment: "economy-it",
      coDepartments: ["finance", "economy-it"],
      contact: { name: "王明", hotline: "63211234" },
      validUntil: "2025-12-31",
      who: "巴南区的企业",
      what: "对入选区级数字化应用场景示范项目的，给予单个项目最高１００万元奖励。",
      amount: { upTo: 1000000, quote: "给予单个项目最高１００万元" },
    },
    {
      ordinal: 1,
      title: "支持软件企业做大做强",
      benefitType: "award",
      monetary: true,
      clause: "一、支持软件企业做大做强。对首次入选市级重点软件企业的，给予５０万元一次性奖励。",
      leadDepartment: "economy-it",
      who: "巴南区的企业",
      what: "给予50万元一次性奖励。",
    },
  ],
});

describe("the reviewed import as document files", () => {
  it("parses with the policy loader: document, measures with ids, an empty case list", () => {
    const files = toDocumentFiles(reviewed());
    expect(Object.keys(files).sort()).toEqual(["cases.yaml", "document.yaml", "measures.yaml", "source.txt"]);
    const loaded = documentFromFiles("doc-2024-18", files, "doc-2024-18");
    expect(loaded.document).toMatchObject({
      id: "doc-2024-18",
      docNumber: "某府办发〔2024〕18号",
      regionCode: "500113",
      issuedOn: "2024-03-15",
      validUntil: "2025-12-31",
      numberedMeasures: 6,
      sourceFile: "source.txt",
    });
    expect(loaded.measures.map((m) => m.id)).toEqual(["doc-2024-18/1", "doc-2024-18/6"]);
    const six = loaded.measures[1];
    expect(six?.amount).toEqual({ upTo: 1000000, quote: "给予单个项目最高１００万元" });
    expect(six?.coDepartments).toEqual(["finance"]);
    expect(six?.interpretation.who).toBe("巴南区的企业");
    // A monetary measure whose amount was not accepted keeps the clause as the unstated amount.
    expect(loaded.measures[0]?.amount).toBeUndefined();
    expect(loaded.measures[0]?.amountUnstated).toContain("５０万元");
    expect(loaded.cases).toEqual([]);
    expect(files["source.txt"]).toBe(source.endsWith("\n") ? source : `${source}\n`);
  });

  it("round-trips: the YAML reads back to the same values", () => {
    const d = reviewed();
    const files = toDocumentFiles(d);
    const doc = parse(files["document.yaml"] ?? "");
    expect(typeof doc.regionCode).toBe("string");
    expect(typeof doc.issuedOn).toBe("string");
    const again = toDocumentFiles({ ...d, measures: [...d.measures].reverse() });
    expect(again).toEqual(files);
  });

  it("names every missing or wrong field in Chinese", () => {
    expect(reviewProblems(reviewed())).toEqual([]);
    const bad = reviewed();
    bad.id = "Doc 1";
    bad.docNumber = " ";
    bad.regionCode = "";
    bad.validUntil = "2020-01-01";
    const m = bad.measures[0];
    if (!m) throw new Error("fixture");
    m.leadDepartment = "";
    m.amount = { cap: 200000, amount: { rate: "30%", base: "实际支付费用" } };
    const p = reviewProblems(bad);
    expect(p).toContain("文号：必填，请填写");
    expect(p).toContain("区县：必填，请选择");
    expect(p).toContain("有效期至：不能早于施行日期");
    expect(p).toContain("第 6 项措施：牵头单位必填，请从列表中选择");
    expect(p.some((x) => x.startsWith("文件编号"))).toBe(true);
    expect(p.some((x) => x.includes("计算基数"))).toBe(true);
  });

  it("says amounts in plain Chinese, exact to the fen", () => {
    expect(amountWords({ upTo: 500000 })).toBe("最高 50.00 万元");
    expect(amountWords({ fixed: 50000 })).toBe("5.00 万元");
    expect(amountWords({ fixed: 1234.56 })).toBe("1,234.56元");
    expect(amountWords({ range: [100000, 500000] })).toBe("10.00 万元 至 50.00 万元");
    expect(amountWords({ cap: 200000, amount: { rate: "30%", base: "实际支付费用" } })).toBe(
      "按实际支付费用的 30%，最高 20.00 万元",
    );
    expect(usableAmount({ cap: 200000, amount: { rate: "30%", base: "实际支付费用" } })).toBe(false);
    expect(usableAmount({ rate: "3%", base: "rdExpense[2021]", cap: 100000 })).toBe(true);
    expect(usableAmount({ upTo: 1000000, quote: "最高100万元" })).toBe(true);
  });

  it("prefills the interpretation and the kind of support", () => {
    expect(
      firstSentence("二、支持企业上云用云。对企业购买云服务的，按照不超过实际支付费用的30%给予补助。"),
    ).toBe("对企业购买云服务的，按照不超过实际支付费用的30%给予补助。");
    expect(defaultBenefitType("按LPR的50%给予贴息", true)).toBe("interestSubsidy");
    expect(defaultBenefitType("给予50万元一次性奖励", true)).toBe("award");
    expect(defaultBenefitType("提供上门服务", false)).toBe("service");
    expect(defaultWho("重庆市（市级）")).toBe("重庆市的企业");
  });

  it("turns the imported notice into a draft that compiles with the published library", () => {
    const departments = Object.fromEntries(departmentCodes().map((c) => [c, departmentName(c)]));
    const { cleaned, draft } = ingestText(source, { departments });
    const d: ReviewedDocument = {
      ...reviewed(),
      source: cleaned.text,
      measures: draft.measures.map((m) => ({
        ordinal: m.ordinal,
        title: m.title,
        benefitType: defaultBenefitType(m.clause, m.monetary),
        monetary: m.monetary,
        clause: m.clause,
        leadDepartment: m.leadDepartment ?? "",
        coDepartments: m.coDepartments ?? [],
        ...(m.contact ? { contact: m.contact } : {}),
        ...(m.validUntil ? { validUntil: m.validUntil } : {}),
        ...(m.validityQuote ? { validityQuote: m.validityQuote } : {}),
        who: defaultWho("巴南区"),
        what: firstSentence(m.clause),
        ...(m.amount && usableAmount(m.amount) ? { amount: m.amount } : {}),
      })),
    };
    expect(reviewProblems(d)).toEqual([]);
    const files = toDocumentFiles(d);
    const library = libraryFromSources([...readDocumentSources(), { id: d.id, files, origin: d.id }]);
    const engine = compileRules(library.rules);
    expect(engine.byId.get("doc-2024-18/6")?.def.amount).toMatchObject({ upTo: 1000000 });
    expect(library.documents.find((x) => x.document.id === "doc-2024-18")?.measures).toHaveLength(7);
  });
});

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { detectKind, IngestError, ingestFile } from "./file.ts";
import { ingestText } from "./index.ts";

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)));

/** The parts of a measure that must not depend on the file format. */
const essence = (m: {
  ordinal: number;
  title: string;
  leadUnit?: string;
  coUnits?: string[];
  validUntil?: string;
  amount?: unknown;
  contact?: unknown;
  candidates: { amounts: { min: number; max: number | null; role: string }[]; rates: { rate: string }[] };
}) => ({
  ordinal: m.ordinal,
  title: m.title,
  lead: m.leadUnit,
  co: m.coUnits,
  until: m.validUntil,
  amount: m.amount,
  contact: m.contact,
  amounts: m.candidates.amounts.map((a) => [a.min, a.max, a.role]),
  rates: m.candidates.rates.map((r) => r.rate),
});

describe("ingestFile on the fixture notice as .txt, .docx and .pdf", async () => {
  const txt = await ingestFile(fixture("digital-economy.txt"), "digital-economy.txt");
  const docx = await ingestFile(fixture("digital-economy.docx"), "digital-economy.docx");
  const pdf = await ingestFile(fixture("digital-economy.pdf"), "digital-economy.pdf");

  it("reads the plain-text version", () => {
    const d = txt.draft;
    expect(d.metadata.docNumber?.value).toBe("某府办发〔2024〕18号");
    expect(d.metadata.issuedOn?.value).toBe("2024-03-15");
    expect(d.metadata.title?.value).toBe(
      "重庆市某某区人民政府办公室关于印发某某区促进数字经济发展若干措施的通知",
    );
    expect(d.metadata.issuers.map((i) => i.value)).toEqual(["重庆市某某区人民政府办公室"]);
    expect(d.metadata.validUntil?.value).toBe("2025-12-31");
    expect(d.metadata.annexes.map((a) => a.title)).toEqual([
      "某某区促进数字经济发展若干措施",
      "政策服务联系表",
    ]);
    expect(d.measures.map((m) => m.ordinal)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const m2 = d.measures[1];
    expect(m2?.amount).toMatchObject({ cap: 200000, amount: { rate: "30%", base: "实际支付费用" } });
    expect(m2?.contact).toEqual({ name: "李华", hotline: "63215678" });
    expect(d.measures[6]?.leadUnit).toBe("区金融事务中心");
    expect(d.measures[3]?.clause).toBe(
      "四、鼓励研发投入。对年度研发费用500万元（含）以上的数字经济企业，给予10—50万元奖励。（牵头单位：区科技局）",
    );
    expect(d.measures[4]?.validUntil).toBe("2024-12-31");
    expect(d.measures[5]?.validUntil).toBe("2025-12-31");
    expect(d.stacking.map((s) => s.text)).toContain("从高不重复");
  });

  it("gives the same measures for Word and PDF", () => {
    const want = txt.draft.measures.map(essence);
    expect(docx.draft.measures.map(essence)).toEqual(want);
    expect(pdf.draft.measures.map(essence)).toEqual(want);
    expect(pdf.draft.metadata.docNumber?.value).toBe(txt.draft.metadata.docNumber?.value);
    expect(docx.draft.metadata.issuedOn?.value).toBe("2024-03-15");
    const contacts = (d: typeof txt) => d.draft.contacts.map((c) => [c.row, c.unit, c.person, c.phone]);
    expect(contacts(docx)).toEqual(contacts(txt));
    expect(contacts(pdf)).toEqual(contacts(txt));
    expect(contacts(txt)).toEqual([
      [1, "区经济信息委", "王明", "63211234"],
      [2, "区大数据发展局", "李华", "63215678"],
    ]);
  });

  it("drops the PDF page numbers and keeps spans traceable to the original", () => {
    expect(pdf.cleaned.text).not.toMatch(/— \d+ —/);
    const m = pdf.draft.measures[3];
    const [s, e] = m?.span ?? [0, 0];
    const o0 = pdf.cleaned.map[s] as number;
    expect(pdf.original.slice(o0, o0 + 2)).toBe("四、");
    expect(pdf.cleaned.text.slice(s, e)).toContain("给予10—50万元奖励");
  });
});

describe("a seed document typeset again as PDF", () => {
  it("gives the same measures as its source text (line repair across pages, header and page numbers dropped)", async () => {
    const source = readFileSync(
      fileURLToPath(new URL("../../policies/documents/kaizhou-2023-27/source.txt", import.meta.url)),
      "utf8",
    );
    const want = ingestText(source).draft;
    const got = (await ingestFile(fixture("kaizhou-2023-27.reprint.pdf"), "kaizhou.pdf")).draft;
    const key = (d: typeof want) =>
      d.measures.map((m) => [m.ordinal, m.leadUnit, m.coUnits, m.amount, m.clause.replace(/\n/g, "")]);
    expect(got.measures).toHaveLength(24);
    expect(key(got)).toEqual(key(want));
    expect(got.metadata.docNumber?.value).toBe("开州府办发〔2023〕27号");
  });
});

describe("file type errors", () => {
  it("refuses unknown and legacy formats in Chinese", async () => {
    expect(() => detectKind(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0, 0]), "a.doc")).toThrow(/旧版 Word/);
    expect(() => detectKind(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]), "a.png")).toThrow(
      /不支持的文件类型/,
    );
    await expect(ingestFile(new Uint8Array(), "a.txt")).rejects.toBeInstanceOf(IngestError);
    await expect(ingestFile(new TextEncoder().encode("%PDF-1.4 broken"), "x.pdf")).rejects.toThrow(
      /无法读取 PDF 文件/,
    );
  });
  it("reads UTF-16 text with a byte-order mark", async () => {
    const body = "给予20万元";
    const le = new Uint8Array(2 + body.length * 2);
    le.set([0xff, 0xfe]);
    for (let i = 0; i < body.length; i++) {
      const c = body.charCodeAt(i);
      le[2 + i * 2] = c & 0xff;
      le[3 + i * 2] = c >> 8;
    }
    expect((await ingestFile(le, "a.txt")).original).toBe(body);
  });
  it("reads GB18030 text", async () => {
    const gbk = new Uint8Array([0xb8, 0xf8, 0xd3, 0xe8, 0x32, 0x30, 0xcd, 0xf2, 0xd4, 0xaa]); // 给予20万元
    const r = await ingestFile(gbk, "a.txt");
    expect(r.original).toBe("给予20万元");
  });
});

describe("browser-safe core", () => {
  it("imports nothing from Node in the text → draft modules", () => {
    for (const f of ["index", "clean", "draft", "extract", "metadata", "structure", "summary", "types"]) {
      const src = readFileSync(fileURLToPath(new URL(`./${f}.ts`, import.meta.url)), "utf8");
      expect(src, f).not.toMatch(/from "node:|require\(/);
    }
  });
});

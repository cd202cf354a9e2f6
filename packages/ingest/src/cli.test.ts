import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const bin = join(root, "packages/cli/bin/huiqi.js");
const fixture = (name: string) => join(root, "packages/ingest/fixtures", name);

function huiqi(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: "utf8", timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("huiqi ingest", () => {
  it("prints a Chinese summary: metadata, clause outline with amounts, deadlines, units, review flags", () => {
    const r = huiqi("ingest", fixture("digital-economy.pdf"));
    expect(r.code).toBe(0);
    expect(r.out).toContain("文号：某府办发〔2024〕18号");
    expect(r.out).toContain("成文日期：2024-03-15");
    expect(r.out).toContain("● 二、支持企业上云用云");
    expect(r.out).toMatch(
      /【draft\/2】支持企业上云用云\n\s+金额：不超过20万元／每家；不超过实际支付费用的30%/,
    );
    expect(r.out).toContain("期限：至 2025-12-31");
    expect(r.out).toContain("单位：牵头 区大数据发展局");
    expect(r.out).toContain("⚑ amount.base");
  });

  it("--json prints the full draft with spans and department codes", () => {
    const r = huiqi("ingest", fixture("digital-economy.docx"), "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.draft.metadata.docNumber.value).toBe("某府办发〔2024〕18号");
    expect(j.draft.measures).toHaveLength(7);
    expect(j.draft.measures[0]).toMatchObject({ leadDepartment: "economy-it", coDepartments: ["finance"] });
    expect(j.measures[1]).toMatchObject({
      id: "draft/2",
      ordinal: 2,
      title: "支持企业上云用云",
      monetary: true,
      leadDepartment: "big-data",
      contact: { name: "李华", hotline: "63215678" },
      validUntil: "2025-12-31",
      amount: { cap: 200000, amount: { rate: "30%", base: "实际支付费用" } },
    });
    expect(j.measures[1].review[0]).toMatchObject({ field: "amount.base" });
    const [s, e] = j.draft.measures[0].span;
    expect(j.cleanedText.slice(s, e)).toBe(j.draft.measures[0].clause);
  });

  it("refuses missing files and unsupported types with a Chinese message", () => {
    const missing = huiqi("ingest", "/nonexistent/通知.pdf");
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("找不到文件");
    const dir = mkdtempSync(join(tmpdir(), "huiqi-ingest-"));
    const png = join(dir, "scan.png");
    writeFileSync(png, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0]));
    const bad = huiqi("ingest", png);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("不支持的文件类型");
    const doc = join(dir, "old.doc");
    writeFileSync(doc, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]));
    expect(huiqi("ingest", doc).err).toContain("旧版 Word");
  });
});

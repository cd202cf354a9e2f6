import { describe, expect, it } from "vitest";
import { cleanText, toOriginal } from "./clean.ts";

describe("cleanText", () => {
  it("drops page numbers and running headers, rejoins lines broken across a page break", () => {
    const original = [
      "重庆市某某区人民政府行政规范性文件",
      "",
      "二、支持企业智能化改造。对新认定的市级智能工厂，给予",
      "",
      "— 3 —",
      "",
      "重庆市某某区人民政府行政规范性文件",
      "",
      "50万元一次性奖励。（牵头单位：区经济信息委）",
      "- 4 -",
      "第 5 页 共 9 页",
    ].join("\n");
    const c = cleanText(original);
    expect(c.text).toBe(
      "二、支持企业智能化改造。对新认定的市级智能工厂，给予50万元一次性奖励。（牵头单位：区经济信息委）",
    );
  });

  it("keeps a short heading line apart from its body and joins a full-width line with the next", () => {
    const c = cleanText(
      [
        "一、鼓励工业企业做大做强",
        "对 2021年首次由规模以下升为规模以上的工业企业给予 20",
        "万元一次性奖励，执行期限至 2022 年 12月 31 日。（牵头单位：",
        "区经济信息委，配合单位：区财政局）",
        "二、支持工业企业绿色发展",
      ].join("\n\n"),
    );
    expect(c.text.split("\n")).toEqual([
      "一、鼓励工业企业做大做强",
      "对2021年首次由规模以下升为规模以上的工业企业给予20万元一次性奖励，执行期限至2022年12月31日。（牵头单位：区经济信息委，配合单位：区财政局）",
      "二、支持工业企业绿色发展",
    ]);
  });

  it("folds full-width digits, percent and ASCII punctuation between Chinese characters", () => {
    const c = cleanText("按不超过投资额的１５％给予补助,最高不超过２００万元(含)。责任单位:区科技局");
    expect(c.text).toBe("按不超过投资额的15%给予补助，最高不超过200万元（含）。责任单位：区科技局");
    expect(cleanText("收入1,000万元").text).toBe("收入1,000万元");
  });

  it("strips markdown decoration from converted documents", () => {
    const c = cleanText("# 标题\n\n---\n\n### **三、机制保障措施**\n\n（一）加强组织领导。");
    expect(c.text).toBe("标题\n三、机制保障措施\n（一）加强组织领导。");
  });

  it("keeps table rows as rows, with single spaces between cells", () => {
    const c = cleanText(
      "序号 政策名称 牵头单位 服务人员 服务热线\n1 鼓励工业企业做大做强   区经济信息委 孟耸 66238039",
    );
    expect(c.text).toBe(
      "序号 政策名称 牵头单位 服务人员 服务热线\n1 鼓励工业企业做大做强 区经济信息委 孟耸 66238039",
    );
  });

  it("maps every cleaned span back to the original", () => {
    const original = "  一、支持研发。\n\n— 2 —\n\n对研发费用\n\n１０００万元以上的企业给予奖励。";
    const c = cleanText(original);
    const at = c.text.indexOf("1000万元");
    const [s, e] = toOriginal(c, [at, at + "1000万元".length]);
    expect(original.slice(s, e)).toBe("１０００万元");
    expect(c.map.length).toBe(c.text.length + 1);
    for (let i = 0; i < c.text.length; i++) {
      const o = original[c.map[i] as number] as string;
      if (c.text[i] !== "\n" && c.text[i] !== " ")
        expect([c.text[i], String.fromCharCode((c.text[i] as string).charCodeAt(0) + 0xfee0)]).toContain(o);
    }
  });

  it("keeps the signature and date of the notice (not a running header)", () => {
    const c = cleanText(
      "某某区人民政府办公室\n关于印发某某措施的通知\n正文。\n某某区人民政府办公室\n2024年3月15日\n— 1 —\n某某措施",
    );
    expect(c.text.split("\n")).toContain("某某区人民政府办公室");
    expect(c.text.split("\n").filter((l) => l === "某某区人民政府办公室")).toHaveLength(2);
  });

  it("drops bare page numbers that count up, but keeps a 序号 cell on its own line", () => {
    const c = cleanText(
      "一、支持企业技术改造。对技术改造项目按设备投资的10%给予补助，单个项目最高不超过\n2\n200万元。\n二、支持升规。对首次升规的企业给予奖励，\n3\n奖励10万元。",
    );
    expect(c.text).toBe(
      "一、支持企业技术改造。对技术改造项目按设备投资的10%给予补助，单个项目最高不超过200万元。\n二、支持升规。对首次升规的企业给予奖励，奖励10万元。",
    );
    const t = cleanText(
      "6 建立食品安全责任险 区市场监管局 曾维 89153310\n7\n开展定向培训\n区人力社保局 许静 66239351",
    );
    expect(t.text.split("\n")).toContain("7");
  });
});

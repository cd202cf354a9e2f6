import { describe, expect, it } from "vitest";
import { cleanText } from "./clean.ts";
import {
  findDates,
  findMoney,
  findRates,
  findStacking,
  findUnits,
  findYears,
  parseNumber,
} from "./extract.ts";

const money = (t: string) =>
  findMoney(cleanText(t).text).map((a) => ({
    text: a.text,
    min: a.min,
    max: a.max,
    bound: a.bound,
    role: a.role,
    per: a.per,
    cmp: a.comparator,
  }));

describe("numbers", () => {
  it("reads Arabic and Chinese numerals", () => {
    expect(parseNumber("1.5")).toBe(1.5);
    expect(parseNumber("1,000")).toBe(1000);
    expect(parseNumber("五十")).toBe(50);
    expect(parseNumber("一百五十")).toBe(150);
    expect(parseNumber("两千")).toBe(2000);
    expect(parseNumber("十")).toBe(10);
    expect(parseNumber("三亿五千万")).toBe(350000000);
  });
});

describe("amounts", () => {
  it("reads 元, 万元, 亿元 in 分, with Chinese numerals and full-width digits", () => {
    expect(money("给予20万元一次性奖励")).toMatchObject([
      { min: 20000000, max: 20000000, bound: "exact", role: "benefit" },
    ]);
    expect(money("一次性奖励五十万元")).toMatchObject([{ min: 50000000, role: "benefit" }]);
    expect(money("奖励１５万元")).toMatchObject([{ min: 15000000 }]);
    expect(money("奖励 3000 元")).toMatchObject([{ min: 300000 }]);
    expect(money("给予1.5亿元支持")).toMatchObject([{ min: 15000000000 }]);
    expect(money("给予二百万元补助")).toMatchObject([{ min: 200000000 }]);
  });

  it("reads caps, floors and ranges", () => {
    expect(money("给予单个项目不超过100万元奖励")).toMatchObject([
      { min: 100000000, bound: "cap", role: "benefit", per: "项目" },
    ]);
    expect(money("补助金额最高不超过150万元")).toMatchObject([{ bound: "cap", role: "benefit" }]);
    expect(money("给予最多不超过600万元奖励")).toMatchObject([{ bound: "cap" }]);
    expect(money("最高奖励100万元")).toMatchObject([{ bound: "cap", role: "benefit" }]);
    expect(money("对年营业收入不超过2000万元的企业给予10万元奖励")).toMatchObject([
      { role: "threshold", cmp: "<=" },
      { role: "benefit", bound: "exact" },
    ]);
    expect(money("给予10—20万元的一次性奖励")).toMatchObject([
      { min: 10000000, max: 20000000, bound: "range", role: "benefit" },
    ]);
    expect(money("给予10-20万元奖励")).toMatchObject([{ min: 10000000, max: 20000000, bound: "range" }]);
    expect(money("给予10至20万元奖励")).toMatchObject([{ min: 10000000, max: 20000000, bound: "range" }]);
    expect(money("给予10万元—20万元奖励")).toMatchObject([{ min: 10000000, max: 20000000, bound: "range" }]);
    expect(money("给予单个项目100万元及以上奖励")).toMatchObject([
      { min: 100000000, max: null, bound: "floor", role: "benefit" },
    ]);
  });

  it("tells thresholds from benefits, with 以上／以下 inclusivity", () => {
    expect(money("对申报研发费用1000万元以下的企业")).toMatchObject([{ role: "threshold", cmp: "<=" }]);
    expect(money("对新增设备投资200万元及以上的")).toMatchObject([{ role: "threshold", cmp: ">=" }]);
    expect(money("对年度研发费用500万元（含）以上的企业")).toMatchObject([{ role: "threshold", cmp: ">=" }]);
    expect(money("年营业收入超过1亿元的企业")).toMatchObject([{ role: "threshold", cmp: ">" }]);
    expect(money("单笔贷款额度不低于50万元")).toMatchObject([
      { role: "threshold", bound: "floor", cmp: ">=" },
    ]);
    expect(money("年营业收入不满2000万元的企业")).toMatchObject([{ role: "threshold", cmp: "<" }]);
  });

  it("spreads a list's role and cap to each member (分别给予…)", () => {
    expect(money("区级分别给予80万元、50万元、40万元奖励")).toMatchObject([
      { min: 8000000 * 10, role: "benefit" },
      { min: 50000000, role: "benefit" },
      { min: 40000000, role: "benefit" },
    ]);
    expect(money("分别给予50万、100万一次性奖励")).toMatchObject([
      { min: 50000000, role: "benefit" },
      { min: 100000000, role: "benefit" },
    ]);
    expect(money("最多分别不超过1500万元、5000万元")).toMatchObject([{ bound: "cap" }, { bound: "cap" }]);
  });

  it("reads per-unit amounts", () => {
    expect(money("区级一次性奖励20万元/户")).toMatchObject([{ per: "户", role: "benefit" }]);
    expect(money("每户企业贷款利息补助金额不超过30万元")).toMatchObject([
      { per: "户", bound: "cap", role: "benefit" },
    ]);
    expect(money("每人给予5万元安家补贴")).toMatchObject([{ per: "人", role: "benefit" }]);
    expect(money("每个奖励3万元工作经费")).toMatchObject([{ per: "个" }]);
  });

  it("ignores non-money numbers", () => {
    expect(money("连续3年、每年至少投入2亿元，累计组织实施140个智能化项目")).toHaveLength(1);
    expect(money("一次性奖励")).toHaveLength(0);
  });
});

describe("rates", () => {
  it("reads percentages with their base and bound", () => {
    const r = findRates("按照不超过设备投入的10%给予补助");
    expect(r).toMatchObject([{ rate: "10%", bound: "cap", role: "benefit", base: "设备投入" }]);
    expect(findRates("补助比例不超过贷款市场报价利率（LPR）的50%")).toMatchObject([
      { rate: "50%", base: "贷款市场报价利率（LPR）" },
    ]);
    expect(findRates("按存量不高于3%、增量不高于10%的比例给予补助")).toMatchObject([
      { rate: "3%", base: "存量" },
      { rate: "10%", base: "增量" },
    ]);
    expect(findRates("投资进度80%以上的")).toMatchObject([{ role: "threshold" }]);
    expect(findRates("按百分之三十给予补助")).toMatchObject([{ rate: "30%" }]);
    expect(findRates("资金使用费按每个工作日0.1‰标准计算")).toMatchObject([{ rate: "0.1‰" }]);
  });
});

describe("dates and years", () => {
  it("reads deadlines, start dates and yearly dates", () => {
    expect(findDates("执行期限至2022年12月31日。")).toMatchObject([{ date: "2022-12-31", role: "deadline" }]);
    expect(findDates("请于2024年6月30日前申报")).toMatchObject([{ date: "2024-06-30", role: "deadline" }]);
    expect(findDates("申报截止时间为2024年10月31日")).toMatchObject([{ role: "deadline" }]);
    expect(findDates("截止日期：2024年10月31日")).toMatchObject([{ role: "deadline" }]);
    expect(findDates("2024年10月31日（含）前提交")).toMatchObject([{ role: "deadline" }]);
    expect(findDates("自2024年1月1日起施行")).toMatchObject([{ date: "2024-01-01", role: "from" }]);
    expect(findDates("每年3月31日前报送")).toMatchObject([{ date: "--03-31", role: "yearly" }]);
    expect(findDates("每年3月底前报送")).toMatchObject([{ date: "--03-31", role: "yearly" }]);
    expect(findDates("执行期限：2022年1月1日至2023年12月31日")).toMatchObject([
      { date: "2022-01-01", role: "from" },
      { date: "2023-12-31", role: "deadline" },
    ]);
    expect(findDates("申报截止时间：2024.6.30")).toMatchObject([{ date: "2024-06-30", role: "deadline" }]);
    expect(findDates("于2024-10-31前提交")).toMatchObject([{ date: "2024-10-31", role: "deadline" }]);
    expect(findDates("补助1.5万元")).toHaveLength(0);
    expect(findDates("截至2025年底")).toMatchObject([{ date: "2025-12-31", role: "deadline" }]);
    expect(findDates("执行至2024年6月底")).toMatchObject([{ date: "2024-06-30", role: "deadline" }]);
    expect(findDates("二〇二二年九月三十日")).toMatchObject([{ date: "2022-09-30" }]);
    expect(findDates("申报时间：2024年6月1日至6月30日")).toMatchObject([
      { date: "2024-06-01", role: "from" },
      { date: "2024-06-30", role: "deadline" },
    ]);
  });
  it("reads years and year ranges", () => {
    expect(findYears("对2021年首次升规的企业")).toMatchObject([{ from: 2021 }]);
    expect(findYears("专项行动计划（2022—2025年）")).toMatchObject([{ from: 2022, to: 2025 }]);
  });
});

describe("units", () => {
  it("reads 牵头单位 and 配合单位", () => {
    expect(findUnits("给予奖励。（牵头单位：区经济信息委，配合单位：区财政局）")).toMatchObject([
      { lead: ["区经济信息委"], co: ["区财政局"] },
    ]);
  });
  it("reads 责任单位 lists with brackets inside names", () => {
    expect(findUnits("奖励20万元/户。〔责任单位：区经济信息委、区财政局、各乡镇（街道）〕")).toMatchObject([
      { lead: ["区经济信息委"], co: ["区财政局", "各乡镇（街道）"] },
    ]);
    expect(findUnits("（责任单位：区经济信息委、区工业发展〔集团〕公司）")).toMatchObject([
      { lead: ["区经济信息委"], co: ["区工业发展〔集团〕公司"] },
    ]);
  });
  it("reads a bare list of units closing a clause, and an unbracketed line", () => {
    expect(findUnits("提供一年期流动资金贷款。（区经济信息委、区金融事务中心、合作银行）")).toMatchObject([
      { lead: ["区经济信息委"], co: ["区金融事务中心", "合作银行"], label: "（未标注）" },
    ]);
    expect(findUnits("不是单位的括号（以下简称《巴七条》）")).toHaveLength(0);
    expect(findUnits("对企业给予支持。\n责任单位：区科技局、区财政局")).toMatchObject([
      { lead: ["区科技局"], co: ["区财政局"] },
    ]);
  });
  it("reads “A牵头，B配合” and “A、B按职责分工负责”", () => {
    expect(findUnits("给予奖励。（省经济和信息化厅牵头，省财政厅、省税务局配合）")).toMatchObject([
      { lead: ["省经济和信息化厅"], co: ["省财政厅", "省税务局"] },
    ]);
    expect(findUnits("加强服务。（市发展改革委、市财政局按职责分工负责）")).toMatchObject([
      { lead: ["市发展改革委"], co: ["市财政局"] },
    ]);
    expect(findUnits("给予奖励。（区商务委牵头）")).toMatchObject([{ lead: ["区商务委"], co: [] }]);
  });

  it("reads several 牵头单位 as lead plus co-leads", () => {
    expect(findUnits("（牵头单位：区发展改革委、区经济信息委；责任单位：各镇街）")).toMatchObject([
      { lead: ["区发展改革委"], co: ["区经济信息委", "各镇街"] },
    ]);
  });
});

describe("stacking", () => {
  it("finds the genre's non-cumulation words", () => {
    const t =
      "按照从高不重复的原则；就高不重复；两种补贴方式按就高不就低原则不重复享受；同一项目不得重复申报";
    expect(findStacking(t).map((s) => s.text)).toEqual([
      "从高不重复",
      "就高不重复",
      "就高不就低",
      "不重复享受",
      "不得重复申报",
    ]);
  });
});

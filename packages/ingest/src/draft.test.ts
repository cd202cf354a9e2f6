import { describe, expect, it } from "vitest";
import { abbreviateUnit } from "./draft.ts";
import { ingestText } from "./index.ts";

describe("drafts across the genre", () => {
  it("reads a 实施细则 numbered by 第N条 under chapters, with a 有效期 in years", () => {
    const text = `四川省经济和信息化厅 四川省财政厅
关于印发《四川省中小企业发展专项资金管理实施细则》的通知
川经信发〔2023〕5号

各市（州）经济和信息化局、财政局：
现将《四川省中小企业发展专项资金管理实施细则》印发给你们，请遵照执行。

四川省经济和信息化厅      四川省财政厅
2023年4月10日

四川省中小企业发展专项资金管理实施细则

第一章 总则
第一条 为规范专项资金管理，制定本细则。
第二条 专项资金由省财政预算安排。
第二章 支持方向和标准
第三条 对首次认定的国家级专精特新“小巨人”企业，给予一次性奖励五十万元。（牵头单位：省经济和信息化厅）
第四条 对企业技术改造项目，按设备购置额的10%给予补助，单个项目最高不超过200万元。（牵头单位：省经济和信息化厅，配合单位：省财政厅）
第五条 对年营业收入首次突破5亿元、10亿元的企业，分别给予50万元、100万元奖励。（牵头单位：省经济和信息化厅）
第三章 附则
第六条 本细则自2023年5月1日起施行，有效期3年。
`;
    const { draft } = ingestText(text);
    const md = draft.metadata;
    expect(md.docNumber?.value).toBe("川经信发〔2023〕5号");
    expect(md.issuers.map((i) => i.value)).toEqual(["四川省经济和信息化厅", "四川省财政厅"]);
    expect(md.issuedOn?.value).toBe("2023-04-10");
    expect(md.recipients.map((r) => r.value)).toEqual(["各市（州）经济和信息化局", "财政局"]);
    expect(md.validFrom?.value).toBe("2023-05-01");
    expect(md.validUntil?.value).toBe("2026-04-30");
    expect(draft.measureKind).toBe("article");
    expect(draft.measures.map((m) => m.ordinal)).toEqual([1, 2, 3, 4, 5, 6]);
    const [m3, m4, m5] = [draft.measures[2], draft.measures[3], draft.measures[4]];
    expect(m3?.amount).toMatchObject({ fixed: 500000 });
    expect(m3?.leadUnit).toBe("省经济和信息化厅");
    expect(m4?.amount).toMatchObject({ cap: 2000000, amount: { rate: "10%", base: "设备购置额" } });
    expect(m4?.coUnits).toEqual(["省财政厅"]);
    expect(m5?.amount).toMatchObject({
      tiers: {
        steps: [
          { atLeast: 500000000, amount: 500000 },
          { atLeast: 1000000000, amount: 1000000 },
        ],
      },
    });
    expect(m5?.review.map((r) => r.field)).toContain("amount.tiers.value");
    expect(m3?.validUntil).toBe("2026-04-30");
  });

  it("reads an action plan whose unit notes close each group, numbered 1. under （一）", () => {
    const text = `某某县推进制造业数字化转型行动方案（2024—2026年）

一、主要任务
（一）夯实数字基础。
1.推进网络建设。加快5G基站建设。
2.建设工业互联网平台。对新建平台给予最高50万元补助。
（责任单位：县经济信息委、县大数据局）
（二）培育数字企业。
3.培育软件企业。对新认定的重点软件企业给予20万元奖励。
4.引进数字人才。落实人才政策。
（责任单位：县科技局、县人力社保局）
二、保障措施
（一）加强组织领导。成立工作专班。
`;
    const { draft } = ingestText(text);
    expect(draft.measureKind).toBe("decimal");
    expect(draft.measures.map((m) => [m.ordinal, m.leadUnit, m.group])).toEqual([
      [1, "县经济信息委", "夯实数字基础"],
      [2, "县经济信息委", "夯实数字基础"],
      [3, "县科技局", "培育数字企业"],
      [4, "县科技局", "培育数字企业"],
    ]);
    expect(draft.measures[0]?.review.some((r) => r.reason.includes("一组 2 条措施"))).toBe(true);
    expect(draft.measures[1]?.amount).toMatchObject({ upTo: 500000 });
    expect(draft.measures[0]?.validUntil).toBe("2026-12-31");
    expect(draft.review.some((r) => r.field === "validUntil" && r.reason.includes("年度区间"))).toBe(true);
  });

  it("reads a 申报通知 without an attached policy: sections, deadline, prose contact", () => {
    const text = `某某区经济和信息化委员会
关于组织申报2024年度工业企业技术改造补助资金的通知

各有关企业：
现将2024年度技术改造补助资金申报有关事项通知如下。
一、支持范围。2023年1月1日以来完成设备投资200万元（含）以上的技术改造项目。
二、支持标准。按设备投资额的8%给予补助，单个项目最高不超过300万元。
三、申报时间。2024年6月1日至6月30日。
四、联系方式。联系人：张三，联系电话：023-63211234。

某某区经济和信息化委员会
2024年5月20日
`;
    const { draft } = ingestText(text);
    expect(draft.metadata.title?.value).toBe(
      "某某区经济和信息化委员会关于组织申报2024年度工业企业技术改造补助资金的通知",
    );
    expect(draft.metadata.issuedOn?.value).toBe("2024-05-20");
    expect(draft.measures.map((m) => m.ordinal)).toEqual([1, 2, 3, 4]);
    const [scope, standard, time, contact] = draft.measures;
    expect(scope?.candidates.amounts).toMatchObject([
      { min: 200000000, role: "threshold", comparator: ">=" },
    ]);
    expect(standard?.amount).toMatchObject({ cap: 3000000, amount: { rate: "8%", base: "设备投资额" } });
    expect(time?.validUntil).toBe("2024-06-30");
    expect(contact?.contact).toEqual({ name: "张三", hotline: "023-63211234" });
  });

  it("keeps spans exact: each measure's clause is the cleaned text at its span, traceable to the original", () => {
    const original =
      "一、支持上云。\n\n对企业上云给予\n\n— 2 —\n\n最高１０万元补助。（牵头单位：区大数据局）\n\n二、支持研发。对研发投入给予5万元奖励。（牵头单位：区科技局）";
    const r = ingestText(original);
    for (const m of r.draft.measures) expect(r.cleaned.text.slice(m.span[0], m.span[1])).toBe(m.clause);
    const m1 = r.draft.measures[0];
    expect(m1?.clause).toBe("一、支持上云。\n对企业上云给予最高10万元补助。（牵头单位：区大数据局）");
    const a = m1?.candidates.amounts[0];
    const [s, e] = a?.span ?? [0, 0];
    expect(r.original.slice(r.cleaned.map[s], (r.cleaned.map[e - 1] as number) + 1)).toBe("１０万元");
  });

  it("maps lead units to department codes when a department list is given", () => {
    const { draft } = ingestText(
      "一、支持研发。给予5万元奖励。（牵头单位：区科技局，配合单位：区财政局、区新设局）",
      {
        departments: {
          "science-tech": "区科技局",
          finance: "区财政局",
          "finance-office": "区金融办（金融事务中心）",
        },
        docId: "demo-2024-1",
      },
    );
    const m = draft.measures[0];
    expect(m?.id).toBe("demo-2024-1/1");
    expect(m?.leadDepartment).toBe("science-tech");
    expect(m?.coDepartments).toEqual(["finance", "区新设局"]);
  });

  it("flags uncertain parts for the editor in Chinese, each with the span that raised it", () => {
    const { draft } = ingestText(
      "一、支持企业发展。对符合条件的企业给予资金支持。\n二、鼓励研发。对研发费用1000万元以下的企业按不超过研发费用的5%给予补助。同类政策就高不重复。",
    );
    const [m1, m2] = draft.measures;
    expect(m1?.monetary).toBe(true);
    expect(m1?.amountUnstated).toBe("给予资金支持");
    expect(m1?.review.map((r) => r.field)).toEqual(
      expect.arrayContaining(["leadDepartment", "amountUnstated"]),
    );
    const fields = m2?.review.map((r) => r.field);
    expect(fields).toEqual(expect.arrayContaining(["amount.base", "eligibility", "stacking"]));
    for (const r of [...(m1?.review ?? []), ...(m2?.review ?? [])]) {
      expect(r.reason).toMatch(/[\u4e00-\u9fa5]/);
      if (r.span) expect(r.span[1]).toBeGreaterThan(r.span[0]);
    }
  });

  it("takes measures numbered （一） restarting in each group, and units on lines of their own", () => {
    const text = `关于支持民营经济发展的若干措施
一、加大财政支持
（一）支持企业技术改造。对技术改造项目按设备投资的10%给予补助，最高不超过100万元。
牵头单位：县经济信息委
配合单位：县财政局
（二）支持企业升规。对首次升规的工业企业给予10万元奖励。
牵头单位：县经济信息委
二、优化金融服务
（一）降低融资成本。对获得贷款的企业按LPR的30%给予贴息，每户每年最高20万元。
牵头单位：县金融办
（二）支持企业上市。对在主板上市的企业给予200万元奖励。
牵头单位：县金融办
本措施自印发之日起施行，其他政策与本措施同类的，按就高不重复原则执行。依据渝府办发〔2022〕23号文件制定。`;
    const { draft } = ingestText(text);
    expect(draft.metadata.docNumber).toBeUndefined();
    expect(draft.measureKind).toBe("paren-cn");
    expect(draft.measures.map((m) => m.id)).toEqual(["draft/1-1", "draft/1-2", "draft/2-1", "draft/2-2"]);
    expect(draft.review.some((r) => r.field === "ordinal")).toBe(true);
    expect(draft.measures[0]).toMatchObject({ leadUnit: "县经济信息委", coUnits: ["县财政局"] });
    expect(draft.measures[0]?.amount).toMatchObject({
      cap: 1000000,
      amount: { rate: "10%", base: "设备投资" },
    });
    expect(draft.measures[2]).toMatchObject({
      leadUnit: "县金融办",
      amount: { cap: 200000, amount: { rate: "30%", base: "LPR" } },
    });
    expect(draft.measures[3]?.amount).toMatchObject({ fixed: 2000000 });
    expect(draft.stacking.map((s) => s.text)).toContain("就高不重复");
  });

  it("does not read a list of short conditions as the measures", () => {
    const text = `某某区促进外贸发展若干措施
一、支持企业开拓国际市场。对参加境外展会的企业，按展位费的50%给予补助，单个企业每年最高不超过10万元。申报条件：
（1）在本区注册；
（2）上年进出口额100万美元以上；
（3）无不良记录。
二、支持外贸企业扩大规模。对年进出口额首次突破1亿美元的企业给予30万元奖励。
三、支持跨境电商发展。对新建跨境电商产业园的给予最高50万元补助。`;
    const { draft } = ingestText(text);
    expect(draft.measureKind).toBe("cn");
    expect(draft.measures.map((m) => m.ordinal)).toEqual([1, 2, 3]);
    expect(draft.measures[0]?.clause).toContain("（3）无不良记录。");
  });

  it("maps full department names to the short forms of the department list", () => {
    expect(abbreviateUnit("重庆市经济和信息化委员会")).toBe("市经济信息委");
    expect(abbreviateUnit("重庆市巴南区人力资源和社会保障局")).toBe("区人力社保局");
    expect(abbreviateUnit("区市场监督管理局")).toBe("区市场监管局");
    expect(abbreviateUnit("市场监管局")).toBe("市场监管局");
  });

  it("lets the issuing department lead when no measure names a unit", () => {
    const text = `重庆市经济和信息化委员会
关于印发支持工业企业若干措施的通知
渝经信发〔2024〕3号
各区县经济信息委：
现将《支持工业企业若干措施》印发给你们。
重庆市经济和信息化委员会
2024年2月1日
支持工业企业若干措施
1.支持技术改造。给予单个项目不超过200万元奖励。
2.支持绿色发展。对国家级绿色工厂给予不超过100万元奖励。`;
    const { draft } = ingestText(text, { departments: { "municipal-economy-it": "市经济信息委" } });
    expect(draft.measures.map((m) => m.leadDepartment)).toEqual([
      "municipal-economy-it",
      "municipal-economy-it",
    ]);
    expect(draft.measures[0]?.review.some((r) => r.reason.includes("暂按发文机关"))).toBe(true);
  });

  it("leaves the document's closing paragraph out of the last measure, and reads 1） markers", () => {
    const text = `某某县支持小微企业若干措施
1）支持首次升规。给予10万元奖励。
2）支持企业贷款。按LPR的50%给予贴息。
各乡镇可参照本措施制定配套政策。本措施自印发之日起施行。`;
    const { draft } = ingestText(text);
    expect(draft.measures.map((m) => m.ordinal)).toEqual([1, 2]);
    expect(draft.measures[1]?.clause).toBe("2）支持企业贷款。按LPR的50%给予贴息。");
    const last = ingestText(
      `${text.split("\n").slice(0, 3).join("\n")}\n本措施自印发之日起施行，有效期2年。`,
    ).draft;
    expect(last.measures[1]?.clause).toBe("2）支持企业贷款。按LPR的50%给予贴息。");
  });

  it("reads a 申报指南: support items only (not the material list), 申报截止 and the closing contact", () => {
    const text = `关于开展2024年度区级工业和信息化专项资金项目申报工作的通知

各镇人民政府、街道办事处，各有关企业：
根据《某某区促进工业高质量发展若干政策》（某府发〔2023〕5号）等文件规定，现就2024年度专项资金项目申报有关事项通知如下：
一、支持方向和标准
（一）技术改造项目。对2023年完成设备投资500万元以上的技术改造项目，按设备投资额的8%给予补助，单个项目最高不超过300万元。
（二）智能化改造项目。对新认定的市级智能工厂、数字化车间，分别给予50万元、30万元奖励。
（三）企业升规。对2023年新升规的工业企业，给予一次性奖励10万元。
二、申报条件
1.在本区依法注册、具有独立法人资格；
2.财务管理制度健全，近三年无重大违法行为；
3.同一项目已获得其他区级财政资金支持的，不得重复申报。
三、申报材料
（一）项目申报书；
（二）营业执照复印件；
（三）项目投资凭证。
四、申报时间
2024年5月6日至2024年6月15日，逾期不予受理。
五、联系方式
区经济信息委产业发展科，联系人：王强，联系电话：023-66281234。

附件：1.项目申报书
2.承诺书

某某区经济和信息化委员会
2024年4月28日
`;
    const { draft } = ingestText(text);
    expect(draft.metadata.applicationDeadline?.value).toBe("2024-06-15");
    expect(draft.metadata.issuers.map((i) => i.value)).toEqual(["某某区经济和信息化委员会"]);
    expect(draft.measures.map((m) => [m.id, m.title])).toEqual([
      ["draft/1", "技术改造项目"],
      ["draft/2", "智能化改造项目"],
      ["draft/3", "企业升规"],
    ]);
    expect(draft.review.some((r) => r.field === "measures" && r.reason.includes("申报材料"))).toBe(true);
    const m1 = draft.measures[0];
    expect(m1).toMatchObject({
      validUntil: "2024-06-15",
      contact: { name: "王强", hotline: "023-66281234" },
    });
    expect(m1?.amount).toMatchObject({ cap: 3000000, amount: { rate: "8%", base: "设备投资额" } });
    expect(m1?.candidates.amounts[0]).toMatchObject({ role: "threshold", comparator: ">=", min: 500000000 });
  });

  it("takes units from a 分工表 annex when the measures name none", () => {
    const text = `某某省关于支持先进制造业发展的若干措施
一、支持企业技术改造。对技术改造项目给予不超过500万元补助。
二、支持首台套推广。对首台套装备给予最高300万元奖励。
附件
重点任务分工表
序号 任务 牵头单位 配合单位
1 支持企业技术改造 省经济和信息化厅 省财政厅
2
支持首台套推广
省经济和信息化厅
省财政厅、省市场监管局`;
    const { draft } = ingestText(text);
    expect(draft.measures.map((m) => [m.leadUnit, m.coUnits])).toEqual([
      ["省经济和信息化厅", ["省财政厅"]],
      ["省经济和信息化厅", ["省财政厅", "省市场监管局"]],
    ]);
    expect(draft.measures[0]?.review.some((r) => r.reason.includes("表格第 1 行"))).toBe(true);
  });

  it("reads sub-points numbered afresh inside each measure as part of the measure", () => {
    const text = `某某区支持工业企业发展若干措施
（一）支持企业技术改造。对企业实施技术改造项目的，区级财政按以下标准分档给予支持，具体标准如下：
1.设备投资500万元以上的，按设备投资额的5%给予补助；
2.设备投资1000万元以上的，按设备投资额的8%给予补助。
（二）支持企业做大做强。对年营业收入首次突破一定规模的工业企业，区级财政按以下标准给予一次性奖励：
1.首次突破5亿元的，奖励30万元；
2.首次突破10亿元的，奖励50万元。
（三）支持企业开拓市场。对参加区政府组织的国内外重点展会的企业，按展位费的50%给予补助，每家企业每年最高10万元。`;
    const { draft } = ingestText(text);
    expect(draft.measureKind).toBe("paren-cn");
    expect(draft.measures.map((m) => m.id)).toEqual(["draft/1", "draft/2", "draft/3"]);
    expect(
      draft.measures[1]?.candidates.amounts.filter((a) => a.role === "benefit").map((a) => a.min),
    ).toEqual([30000000, 50000000]);
  });

  it("reads a signature and date printed on one line", () => {
    const text = `关于印发某某区稳岗惠企十条措施的通知
各镇街、各部门：
现将《某某区稳岗惠企十条措施》印发给你们，请认真贯彻执行。
一、高度重视。各单位要提高认识。
二、抓好落实。各单位要抓好落实。
某某区人民政府办公室      2024年1月8日
某某区稳岗惠企十条措施
一、支持稳岗。对不裁员的企业给予每人500元稳岗补贴。（牵头单位：区人力社保局）
二、支持扩岗。对新招用高校毕业生的企业给予每人1000元补贴。（牵头单位：区人力社保局）`;
    const { draft } = ingestText(text);
    expect(draft.metadata.issuedOn?.value).toBe("2024-01-08");
    expect(draft.metadata.issuers.map((i) => i.value)).toEqual(["某某区人民政府办公室"]);
    expect(draft.measures.map((m) => m.title)).toEqual(["支持稳岗", "支持扩岗"]);
    expect(draft.measures[0]?.amount).toMatchObject({ fixed: 500 });
  });
});

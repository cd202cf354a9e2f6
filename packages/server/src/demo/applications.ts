/**
 * Demo applications in every state, created through the real use cases with the clock set to a date inside
 * each measure's validity (so the engine's in-force, eligibility and maximum checks all apply).
 */
import { createApplication } from "../applications/create-application.ts";
import { issueDisbursement } from "../applications/issue-disbursement.ts";
import type { Status } from "../applications/model.ts";
import { publishNotice } from "../applications/publish-notice.ts";
import { recordDisbursementResult } from "../applications/record-disbursement-result.ts";
import { reviewApplication } from "../applications/review-application.ts";
import { submitApplication } from "../applications/submit-application.ts";
import { updateApplication } from "../applications/update-application.ts";
import type { Actor, AppContext } from "../context.ts";
import type { ReviewStep } from "../db/schema.ts";

interface Plan {
  enterprise: string;
  measureId: string;
  /** The day the enterprise applies (inside the measure's validity). */
  date: string;
  target: Status | "inReview";
}

export const DEMO_APPLICATIONS: Plan[] = [
  {
    enterprise: "qiye-banan-manufacturer",
    measureId: "banan-2022-63/1",
    date: "2022-10-10",
    target: "closed",
  },
  {
    enterprise: "qiye-banan-manufacturer",
    measureId: "banan-2022-63/3",
    date: "2022-10-12",
    target: "publicNotice",
  },
  {
    enterprise: "qiye-banan-manufacturer",
    measureId: "banan-2022-63/4",
    date: "2022-10-14",
    target: "disbursing",
  },
  {
    enterprise: "qiye-banan-green-upgrade",
    measureId: "banan-2022-63/2.2",
    date: "2022-11-02",
    target: "returned",
  },
  {
    enterprise: "qiye-yubei-smart-factory",
    measureId: "yubei-2021-13/2.2",
    date: "2023-03-01",
    target: "approved",
  },
  {
    enterprise: "qiye-yubei-smart-factory",
    measureId: "yubei-2021-13/9.1",
    date: "2023-03-02",
    target: "inReview",
  },
  {
    enterprise: "qiye-yubei-smart-factory",
    measureId: "yubei-2021-13/2.1",
    date: "2023-03-03",
    target: "submitted",
  },
  { enterprise: "qiye-yubei-software", measureId: "yubei-2021-13/4.3", date: "2023-03-06", target: "draft" },
  {
    enterprise: "qiye-kaizhou-manufacturer",
    measureId: "kaizhou-2023-27/3",
    date: "2023-11-15",
    target: "disbursementFailed",
  },
  {
    enterprise: "qiye-kaizhou-manufacturer",
    measureId: "kaizhou-2023-27/7",
    date: "2023-11-16",
    target: "closed",
  },
  {
    enterprise: "qiye-kaizhou-manufacturer",
    measureId: "kaizhou-2023-27/12.2",
    date: "2023-11-17",
    target: "rejected",
  },
  { enterprise: "qiye-wulong-srdi", measureId: "wulong-2022-48/28.2", date: "2023-03-01", target: "closed" },
];

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T10:00:00+08:00`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

async function actorBy(
  ctx: AppContext,
  where: { username?: string; role?: string; department?: string; region?: string },
): Promise<Actor> {
  let q = ctx.db.selectFrom("accounts").selectAll();
  if (where.username) q = q.where("username", "=", where.username);
  if (where.role) q = q.where("role", "=", where.role as "officer");
  if (where.department) q = q.where("department", "=", where.department);
  if (where.region) q = q.where("region_code", "=", where.region);
  const a = await q.executeTakeFirstOrThrow();
  return {
    id: a.id,
    role: a.role,
    username: a.username,
    displayName: a.display_name,
    department: a.department,
    regionCode: a.region_code,
    enterpriseId: a.enterprise_id,
  };
}

async function current(ctx: AppContext, id: string) {
  return ctx.db
    .selectFrom("applications")
    .select(["version", "steps", "max_fen", "current_step"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
}

/** Returns how many applications were created. */
export async function seedDemoApplications(base: AppContext): Promise<number> {
  let created = 0;
  for (const plan of DEMO_APPLICATIONS) {
    let day = plan.date;
    const ctx: AppContext = { ...base, now: () => new Date(`${day}T10:00:00+08:00`) };
    const applicant = await actorBy(ctx, { username: plan.enterprise });
    const region = applicant.regionCode ?? "";
    const id = await createApplication(ctx, applicant, {
      enterpriseId: applicant.enterpriseId ?? "",
      measureId: plan.measureId,
    });
    created++;
    let v = (await current(ctx, id)).version;
    await updateApplication(ctx, applicant, id, {
      version: v,
      applicant: {
        contactName: "张经理",
        contactPhone: "023-66000000",
        bankName: "重庆农村商业银行",
        bankAccount: "6228480000000000000",
      },
      statement: "本企业承诺所填信息真实、准确、完整。",
    });
    if (plan.target === "draft") continue;
    const submit = async () => {
      v = (await current(ctx, id)).version;
      await submitApplication(ctx, applicant, id, { version: v });
    };
    await submit();
    const reviewer = async (step: ReviewStep) =>
      step.role === "finance"
        ? actorBy(ctx, { role: "finance", region })
        : actorBy(ctx, { role: "officer", department: step.department, region });
    const decide = async (decision: "pass" | "return" | "reject", reason?: string) => {
      const app = await current(ctx, id);
      const step = app.steps[app.current_step] as ReviewStep;
      const last = app.current_step === app.steps.length - 1;
      day = addDays(day, 3);
      await reviewApplication(ctx, await reviewer(step), id, {
        version: app.version,
        decision,
        reason,
        grantedFen: decision === "pass" && last ? Number(app.max_fen ?? 0) : undefined,
      });
    };
    if (plan.target === "returned") {
      await decide("return", "请补充设备购置发票和项目竣工验收报告");
      continue;
    }
    if (plan.target === "rejected") {
      await decide("reject", "主导制定的标准尚未正式发布，不符合申报条件");
      continue;
    }
    if (plan.target === "submitted") continue;
    if (plan.target === "inReview") {
      await decide("pass", "材料齐全，初审通过");
      continue;
    }
    const steps = (await current(ctx, id)).steps.length;
    for (let i = 0; i < steps; i++) await decide("pass", i === 0 ? "材料齐全，初审通过" : "复核通过");
    if (plan.target === "approved") continue;
    const officer = await actorBy(ctx, {
      role: "officer",
      department: (await current(ctx, id)).steps[0]?.department,
      region,
    });
    await publishNotice(ctx, officer, id, { version: (await current(ctx, id)).version });
    if (plan.target === "publicNotice") continue;
    day = addDays(day, base.config.publicNoticeDays + 1);
    const finance = await actorBy(ctx, { role: "finance", region });
    await issueDisbursement(ctx, finance, id, {
      version: (await current(ctx, id)).version,
      batchRef: `DEMO-${day.replace(/-/g, "")}-${created}`,
    });
    if (plan.target === "disbursing") continue;
    day = addDays(day, 2);
    const failed = plan.target === "disbursementFailed";
    await recordDisbursementResult(ctx, finance, id, {
      version: (await current(ctx, id)).version,
      status: failed ? "failed" : "paid",
      date: day,
      reason: failed ? "收款账户户名与企业名称不一致，银行退回" : undefined,
    });
  }
  return created;
}

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, startTestPlatform, type TestPlatform } from "../test-support.ts";
import { DEMO_PASSWORD } from "./accounts.ts";
import { seedDemo } from "./seed.ts";

describe("demo data", () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform("pglite");
  }, 60_000);
  afterAll(async () => p?.close());

  it("creates every role in each of the four districts and about 50 enterprises, once", async () => {
    const first = await seedDemo(p.ctx);
    expect(first.seeded).toBe(true);
    const roles = await p.ctx.db.selectFrom("accounts").select(["role", "region_code"]).execute();
    for (const region of ["500113", "500112", "500154", "500156"])
      for (const role of ["officer", "finance", "coordinator", "enterprise"])
        expect(
          roles.some((r) => r.role === role && r.region_code === region),
          `${role} in ${region}`,
        ).toBe(true);
    expect(roles.some((r) => r.role === "policyAdmin")).toBe(true);
    const n = await p.ctx.db
      .selectFrom("enterprises")
      .select(({ fn }) => fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(50);
    expect((await seedDemo(p.ctx)).seeded).toBe(false);
    const statuses = new Set(
      (await p.ctx.db.selectFrom("applications").select("status").execute()).map((r) => r.status),
    );
    expect([...statuses].sort()).toEqual(
      [
        "approved",
        "closed",
        "disbursementFailed",
        "disbursing",
        "draft",
        "publicNotice",
        "rejected",
        "returned",
        "submitted",
      ].sort(),
    );
  });

  it("keeps a valid audit chain and shows the enterprise its payment", async () => {
    const { verifyAudit } = await import("../audit/audit-log.ts");
    expect((await verifyAudit(p.ctx.db)).ok).toBe(true);
    const ent = await new Client(p.app).login("qiye-wulong-srdi", DEMO_PASSWORD);
    const list = (await ent.get("/api/applications")).json();
    const paid = list.items.find((a: { measureId: string }) => a.measureId === "wulong-2022-48/28.2");
    expect(paid.status).toBe("closed");
    const detail = (await ent.get(`/api/applications/${paid.id}`)).json();
    expect(detail.disbursement).toMatchObject({ status: "paid", amountFen: 20000000 });
  });

  it("lets a demo officer and a demo enterprise sign in", async () => {
    const officer = await new Client(p.app).login("yubei-science-tech", DEMO_PASSWORD);
    expect((await officer.get("/api/auth/me")).json().actor).toMatchObject({
      department: "science-tech",
      regionCode: "500112",
    });
    const ent = await new Client(p.app).login("qiye-banan-manufacturer", DEMO_PASSWORD);
    expect((await ent.get("/api/auth/me")).json().actor.role).toBe("enterprise");
  });
});

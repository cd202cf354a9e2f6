/**
 * Push after an import: an enterprise whose imported data makes it newly fit a measure gets one digest
 * notification once the outbox jobs run (the jobs are written in the same transaction as the batch).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listPage } from "../batch/lists.ts";
import { registerEnterprise, staffClient } from "../enterprises/test-fixtures.ts";
import { createJobQueue } from "../notifications/jobs.ts";
import type { OutboxQueue } from "../notifications/worker.ts";
import { type Client, startTestPlatform, type TestPlatform, testDatabaseKinds } from "../test-support.ts";

const BANAN = "500113";
const GREEN = "banan-2022-63/2.1"; // 绿色制造示范奖励，巴南区，至 2022-12-31

function csv(rows: string[][]): string {
  return Buffer.from(`\uFEFF${rows.map((r) => r.join(",")).join("\n")}\n`, "utf8").toString("base64");
}

async function drain(q: OutboxQueue): Promise<void> {
  while ((await q.runDue(50)) > 0) {
    /* until nothing is due */
  }
}

for (const kind of testDatabaseKinds()) {
  describe(`push after an import (${kind})`, () => {
    let p: TestPlatform;
    let q: OutboxQueue;
    let officer: Client;
    beforeAll(async () => {
      p = await startTestPlatform(kind);
      p.setNow(new Date("2022-11-01T02:00:00Z"));
      q = createJobQueue(p.ctx, { channels: {} });
      officer = await staffClient(p.app, p.ctx, {
        username: "banan-import-officer",
        role: "officer",
        regionCode: BANAN,
      });
    }, 60_000);
    afterAll(async () => p?.close());

    const notifications = (enterpriseId: string) =>
      p.ctx.db.selectFrom("notifications").selectAll().where("enterprise_id", "=", enterpriseId).execute();

    it("an imported certification that makes an enterprise newly fit a measure leads to one digest", async () => {
      const fits = await registerEnterprise(p.app, { username: "green-factory", regionCode: BANAN });
      const other = await registerEnterprise(p.app, { username: "not-green", regionCode: BANAN });
      await drain(q);
      const before = (await notifications(fits.enterpriseId)).filter((n) => n.body.includes("绿色"));
      expect(before).toHaveLength(0);

      const file = csv([
        ["统一社会信用代码", "认定类型", "级别", "认定日期"],
        [fits.uscc, "绿色工厂", "国家级", "2022-06-01"],
        [other.uscc, "专精特新中小企业", "市级", "2022-06-01"],
      ]);
      const r = await officer.post("/api/imports", {
        kind: "certifications",
        fileName: "绿色工厂名单.csv",
        contentBase64: file,
      });
      expect(r.statusCode).toBe(200);
      expect(r.json()).toMatchObject({ counts: { changed: 2, bad: 0 } });
      const jobs = await p.ctx.db
        .selectFrom("outbox")
        .select(["payload"])
        .where("topic", "=", "profile.changed")
        .where("dedupe_key", "like", "import:%")
        .execute();
      const enterprises = jobs.map((j) => (j.payload as { enterpriseId: string }).enterpriseId).sort();
      expect(enterprises).toEqual([fits.enterpriseId, other.enterpriseId].sort());

      await drain(q);
      const after = await notifications(fits.enterpriseId);
      const digests = after.filter((n) => n.kind === "matches.digest" && n.body.includes("绿色"));
      expect(digests).toHaveLength(1);
      const matched = await p.ctx.db
        .selectFrom("notification_matches")
        .select(["measure_id", "notified_at"])
        .where("enterprise_id", "=", fits.enterpriseId)
        .where("measure_id", "=", GREEN)
        .execute();
      expect(matched).toHaveLength(1);
      expect(matched[0]?.notified_at).not.toBeNull();
      // The measure's list now holds the enterprise (eligible, 分 amounts); the one without the title is not on it.
      const list = await listPage(p.ctx.db, GREEN);
      const mine = list.find((r) => r.enterpriseId === fits.enterpriseId);
      expect(mine).toMatchObject({ outcome: "eligible", uscc: fits.uscc });
      expect(mine?.amountMin).toBeGreaterThan(0);
      expect(list.some((r) => r.enterpriseId === other.enterpriseId && r.outcome === "eligible")).toBe(false);
      // The same file again writes nothing and enqueues nothing: no second digest.
      const again = await officer.post("/api/imports", {
        kind: "certifications",
        fileName: "绿色工厂名单.csv",
        contentBase64: file,
      });
      expect(again.json()).toMatchObject({ alreadyImported: expect.any(Object) });
      await drain(q);
      expect(
        (await notifications(fits.enterpriseId)).filter(
          (n) => n.kind === "matches.digest" && n.body.includes("绿色"),
        ),
      ).toHaveLength(1);
    });
  });
}

/** Viewport screenshots for the README (run by hand: npx tsx packages/web/e2e/readme-shots.ts). */
import { startHarness } from "./harness.ts";

const h = await startHarness();
const shots: [string, string, string, boolean][] = [
  ["qiye-kaizhou-manufacturer", "/calculator", "docs/screenshots/calculator.png", false],
  ["qiye-kaizhou-manufacturer", "/calculator", "docs/screenshots/calculator-phone.png", true],
];
for (const [user, path, file, mobile] of shots) {
  const p = await h.open({ username: user, mobile });
  await p.goto(path);
  await p.waitForLoadState("networkidle");
  await p.screenshot({ path: file });
}
await h.close();

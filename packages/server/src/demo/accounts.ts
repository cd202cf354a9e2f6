/** Demo logins: every role in each of the four districts, one password for all (printed at start). */
import type { Role } from "../db/schema.ts";

export const DEMO_PASSWORD = "huiqi-demo-2026";

export const DISTRICTS = [
  { code: "500113", slug: "banan", name: "巴南区" },
  { code: "500112", slug: "yubei", name: "渝北区" },
  { code: "500154", slug: "kaizhou", name: "开州区" },
  { code: "500156", slug: "wulong", name: "武隆区" },
] as const;

/** Demo office numbers (023 + 8 digits) per district: officers' work phones, shown to the enterprises they serve. */
const OFFICE_PREFIX: Record<string, string> = {
  banan: "023-6662",
  yubei: "023-6781",
  kaizhou: "023-5222",
  wulong: "023-7772",
};

export interface DemoAccount {
  username: string;
  displayName: string;
  role: Role;
  department: string | null;
  regionCode: string | null;
  /** Officers: a work phone (office number), migration 009. */
  phone?: string;
}

/** Departments that lead measures in the four districts' documents (see each measure's leadDepartment). */
const OFFICER_DEPARTMENTS = [
  ["economy-it", "经济信息委"],
  ["science-tech", "科技局"],
  ["market-supervision", "市场监管局"],
  ["finance-office", "金融事务中心"],
] as const;

export function demoStaffAccounts(): DemoAccount[] {
  const out: DemoAccount[] = [];
  for (const d of DISTRICTS) {
    for (const [i, [dept, name]] of OFFICER_DEPARTMENTS.entries())
      out.push({
        username: `${d.slug}-${dept}`,
        displayName: `${d.name}${name}经办人`,
        role: "officer",
        department: dept,
        regionCode: d.code,
        phone: `${OFFICE_PREFIX[d.slug] ?? "023-6000"}${String(3101 + i * 11)}`,
      });
    out.push({
      username: `${d.slug}-finance`,
      displayName: `${d.name}财政局`,
      role: "finance",
      department: "finance",
      regionCode: d.code,
    });
    out.push({
      username: `${d.slug}-coordinator`,
      displayName: `${d.name}发展改革委`,
      role: "coordinator",
      department: "development-reform",
      regionCode: d.code,
    });
  }
  out.push({
    username: "policy-admin",
    displayName: "政策管理员",
    role: "policyAdmin",
    department: null,
    regionCode: null,
  });
  // A second policy admin: a policy change is approved by someone other than its author.
  out.push({
    username: "policy-reviewer",
    displayName: "政策审核员",
    role: "policyAdmin",
    department: null,
    regionCode: null,
  });
  return out;
}

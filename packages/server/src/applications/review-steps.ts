/**
 * Review steps per measure are data (OpenG2P: approval stages as data). Default: the lead department's
 * officer reviews first (初审), then the district finance bureau (复审, role finance). A measure whose text
 * names a co-reviewing department can override the list here, keyed by measure id.
 */
import type { MeasureDef } from "@huiqi/engine";
import type { ReviewStep, Role } from "../db/schema.ts";

export interface StepDef {
  name: string;
  role: Role;
  /** Department code; for finance steps "finance" (any finance account of the district may decide). */
  department: string;
}

/** Overrides: measure id → steps, in order. The lead department must stay first. */
export const REVIEW_STEP_OVERRIDES: Readonly<Record<string, (m: MeasureDef) => StepDef[]>> = {
  // 研发费用区级补助：区经济信息委、区科技局共同受理（原文“责任单位：区经济信息委、区科技局、区财政局、区税务局”），
  // 科技局会审研发项目，财政局复审兑付。
  "kaizhou-2023-27/11.3": (m) => [
    { name: "牵头单位初审", role: "officer", department: m.leadDepartment },
    { name: "区科技局会审", role: "officer", department: "science-tech" },
    { name: "区财政局复审", role: "finance", department: "finance" },
  ],
};

export function defaultSteps(m: MeasureDef): StepDef[] {
  return [
    { name: "牵头单位初审", role: "officer", department: m.leadDepartment },
    { name: "区财政局复审", role: "finance", department: "finance" },
  ];
}

export function stepDefsFor(m: MeasureDef): StepDef[] {
  return (REVIEW_STEP_OVERRIDES[m.id] ?? defaultSteps)(m);
}

/** The steps a new application starts with: all waiting until it is submitted. */
export function initialSteps(m: MeasureDef): ReviewStep[] {
  return stepDefsFor(m).map((s) => ({
    ...s,
    status: "waiting",
    reason: null,
    actorId: null,
    decidedAt: null,
  }));
}

/**
 * Permissions, declared per entity in one place and sent to the UI (GET /api/auth/me).
 * Role gates say who may attempt an action; scope checks say on which records.
 */
import type { Actor } from "./context.ts";
import type { ReviewStep, Role } from "./db/schema.ts";
import { forbidden } from "./errors.ts";

export const ACTIONS = {
  "enterprise.read": ["enterprise", "officer", "finance", "coordinator"],
  "enterprise.update": ["enterprise"],
  "enterprise.verifyFact": ["officer"],
  "enterprise.list": ["officer", "finance", "coordinator"],
  // Bulk import of enterprises and facts from department files, limited to the importer's district (imports/).
  "facts.import": ["officer", "coordinator"],
  // Batch matching runs (batch/): progress of the latest runs, and starting a full run.
  "matchRun.read": ["coordinator", "policyAdmin"],
  "matchRun.start": ["coordinator", "policyAdmin"],
  "match.read": ["enterprise", "officer", "coordinator"],
  "application.create": ["enterprise"],
  "application.read": ["enterprise", "officer", "finance", "coordinator"],
  "application.list": ["enterprise", "officer", "finance", "coordinator"],
  "application.submit": ["enterprise"],
  "application.update": ["enterprise"],
  "application.review": ["officer", "finance"],
  "application.publishNotice": ["officer"],
  "application.disburse": ["finance"],
  "application.rate": ["enterprise"],
  "notification.read": ["enterprise"],
  "policy.read": ["enterprise", "officer", "finance", "coordinator", "policyAdmin"],
  "policy.publish": ["policyAdmin"],
  "policy.edit": ["policyAdmin"],
  // Four-eyes: any policy admin but the revision's author (checked in authoring/workflow.ts).
  "policy.review": ["policyAdmin"],
  "policy.budget": ["policyAdmin", "finance"],
  "report.read": ["coordinator", "policyAdmin"],
  "audit.read": ["coordinator", "policyAdmin"],
  // 企业吹哨·部门报到 (services/): raise, confirm, reopen, rate; read one; the department's queue and steps;
  // the coordinator's overdue list; the routing table (coordinators their district, policy admins all).
  "service.request": ["enterprise"],
  "service.read": ["enterprise", "officer", "coordinator"],
  "service.handle": ["officer"],
  "service.oversee": ["coordinator"],
  "service.route": ["coordinator", "policyAdmin"],
  // 服务专员 (services/officers.ts): the district coordinator assigns officers of the district to its
  // enterprises; the enterprise sees its officer; an officer sees the enterprises they serve.
  "service.assignOfficer": ["coordinator"],
  "service.myOfficer": ["enterprise"],
  "service.officerPage": ["officer"],
  // 免申即享 (exemption/): policy admins flag measures; the lead department's officers see the district's
  // eligible list, confirm grants or exclude; the enterprise confirms the 收款账户 of a grant.
  "exemption.flag": ["policyAdmin"],
  "exemption.list": ["officer"],
  "exemption.confirm": ["officer"],
  "exemption.account": ["enterprise"],
  // “专精特新”梯度培育 (services/ladder.ts): the district's tiers, candidates and the 2025 targets for staff;
  // the enterprise sees its own tier and gap. 白名单 (services/whitelists.ts): district staff read lists,
  // coordinators keep their district's and policy admins the city's; the enterprise sees the lists it is on.
  "ladder.read": ["officer", "coordinator", "policyAdmin"],
  "ladder.mine": ["enterprise"],
  "whitelist.read": ["officer", "coordinator", "policyAdmin"],
  "whitelist.manage": ["coordinator", "policyAdmin"],
  "whitelist.mine": ["enterprise"],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof ACTIONS;

export function allowedActions(role: Role): Action[] {
  return (Object.keys(ACTIONS) as Action[]).filter((a) => (ACTIONS[a] as readonly Role[]).includes(role));
}

export function authorize(actor: Actor, action: Action): void {
  if (!(ACTIONS[action] as readonly Role[]).includes(actor.role)) throw forbidden();
}

/** Enterprise data: the enterprise itself; department staff and coordinators of its district. */
export function canSeeEnterprise(actor: Actor, enterprise: { id: string; region_code: string }): boolean {
  if (actor.role === "enterprise") return actor.enterpriseId === enterprise.id;
  if (actor.role === "officer" || actor.role === "finance" || actor.role === "coordinator")
    return actor.regionCode === enterprise.region_code;
  return false;
}

export interface ApplicationScope {
  enterprise_id: string;
  enterprise_region: string;
  lead_department: string;
  co_departments: string[];
  steps: ReviewStep[];
}

/**
 * Applications: the applicant; officers of the lead department (or a co-department with a review step) in
 * the enterprise's district; finance of that district; the district coordinator.
 */
export function canSeeApplication(actor: Actor, a: ApplicationScope): boolean {
  switch (actor.role) {
    case "enterprise":
      return actor.enterpriseId === a.enterprise_id;
    case "officer":
      return (
        actor.regionCode === a.enterprise_region &&
        (actor.department === a.lead_department ||
          a.steps.some((s) => s.role === "officer" && s.department === actor.department))
      );
    case "finance":
    case "coordinator":
      return actor.regionCode === a.enterprise_region;
    default:
      return false;
  }
}

/** May this actor decide the application's current review step? */
export function canDecideStep(actor: Actor, a: ApplicationScope, step: ReviewStep): boolean {
  if (actor.regionCode !== a.enterprise_region) return false;
  if (step.role !== actor.role) return false;
  return actor.role === "finance" || step.department === actor.department;
}

/**
 * Chinese words for the audit log: every action the platform writes (appendAudit, and the application
 * transitions through applyTransition), the entity kinds, and the roles. actions.test.ts scans the
 * server's source so a new audited action without a Chinese label fails the tests.
 */
import type { Role } from "../db/schema.ts";

export const AUDIT_ACTION_LABELS: Record<string, string> = {
  "enterprise.register": "企业注册",
  "enterprise.read": "查看企业信息",
  "enterprise.list": "查看企业名单",
  "enterprise.updateFacts": "更新企业画像",
  "enterprise.verifyFacts": "核实企业事实",
  "facts.import": "批量导入企业数据",
  "account.logoutAll": "退出全部登录",
  "application.create": "创建申报草稿",
  "application.update": "修改申报",
  "application.attach": "上传申报附件",
  "application.attachment.read": "查看申报附件",
  "application.read": "查看申报",
  "application.submit": "提交申报",
  "application.review.pass": "审核通过（本环节）",
  "application.review.return": "退回补正",
  "application.review.reject": "不予通过",
  "application.approve": "审批通过",
  "application.publicNotice": "发布公示",
  "application.disburse": "发起兑付",
  "application.disbursement.paid": "兑付到账",
  "application.disbursement.failed": "兑付失败",
  "application.rate": "满意度评价",
  "measure.budget": "设定措施预算",
  "measure.publish": "发布措施",
  "measure.unpublish": "撤下措施",
  "policy.reload": "重新载入政策库",
  "policy.draft": "保存政策文件草稿",
  "policy.submit": "提交政策修改审核",
  "policy.return": "退回政策修改",
  "policy.approve": "审核通过并发布政策文件",
  "policy.repeal": "废止政策文件",
  "service.create": "企业吹哨（提出诉求）",
  "service.accept": "部门报到（受理诉求）",
  "service.reply": "答复诉求",
  "service.forward": "转报市级部门（市区联动）",
  "service.confirm": "确认诉求办结",
  "service.reopen": "诉求重新打开",
  "service.rate": "诉求满意度评价",
  "service.escalate": "诉求超时升级",
  "service.routes": "修改诉求分派规则",
  "service.attach": "上传诉求附件",
  "service.attachment.read": "查看诉求附件",
  "service.officer.assign": "指定服务专员",
  "service.officer.reassign": "更换服务专员",
  "service.officer.end": "解除服务专员",
  "exemption.flag": "标为免申即享",
  "exemption.unflag": "取消免申即享",
  "application.exemption.confirm": "免申即享确认兑现",
  "exemption.exclude": "免申即享排除企业",
  "exemption.restore": "免申即享恢复企业",
  "application.exemption.account": "确认免申即享收款账户",
  "whitelist.create": "新建白名单",
  "whitelist.update": "修改白名单",
  "whitelist.members.add": "白名单加入企业",
  "whitelist.members.remove": "白名单移出企业",
};

/** Filter groups of the audit page: a kind matches its actions by prefix. */
export const AUDIT_ACTION_KINDS: { kind: string; label: string }[] = [
  { kind: "application", label: "申报与审批（全部）" },
  { kind: "application.review", label: "审核决定" },
  { kind: "application.disbursement", label: "兑付结果" },
  { kind: "enterprise", label: "企业信息（全部）" },
  { kind: "measure", label: "措施与预算" },
  ...Object.entries(AUDIT_ACTION_LABELS).map(([kind, label]) => ({ kind, label })),
];

export const AUDIT_ENTITY_LABELS: Record<string, string> = {
  enterprise: "企业",
  application: "申报",
  account: "账户",
  measure: "措施",
  rules_version: "政策库版本",
  policy_document: "政策文件",
  fact_import: "企业数据导入",
  service_request: "企业诉求",
  service_routes: "诉求分派规则",
  whitelist: "白名单",
};

export const ROLE_LABELS: Record<Role, string> = {
  enterprise: "企业",
  officer: "经办人",
  finance: "财政局",
  coordinator: "区发展改革委",
  policyAdmin: "政策管理员",
};

export function actionLabel(action: string): string {
  return AUDIT_ACTION_LABELS[action] ?? "其他操作";
}

export function roleLabel(role: string | null): string {
  if (role === null) return "系统";
  return (ROLE_LABELS as Record<string, string>)[role] ?? "其他角色";
}

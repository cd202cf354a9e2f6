/**
 * 政策计算器（免登录）: a visitor answers the profile wizard's questions; the answers stay in this browser
 * (localStorage) and are sent, unstored, to POST /api/calculate for the figures — the same engine, published
 * measures and presentation as the enterprise's calculator, so the figures match after registration, when the
 * answers are written into the new profile (Register.tsx).
 */
import { type Facts, ProfileValidationError } from "@huiqi/engine";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Alert, App, Button, Col, Row, Space, Typography } from "antd";
import { useMemo, useState } from "react";
import { Link } from "react-router";
import { api, ok } from "../../api/client";
import { Page } from "../../components/Page";
import { useSession } from "../../session";
import { CalculatorResults } from "../enterprise/Calculator";
import { useRules } from "../enterprise/common";
import { TotalsCard, WizardCard } from "../enterprise/ProfileWizard";
import { applyPatch, clearAnswers, loadAnswers, saveAnswers } from "./answers";

/** The district decides which documents apply: asked first, and needed before anything is calculated. */
const LEADING = ["regionCode"];

export default function PublicCalculator() {
  const { asOf } = useSession();
  const { message, modal } = App.useApp();
  const rules = useRules();
  const [facts, setFacts] = useState<Facts>(() => loadAnswers());
  // Bumped on every change, so the basics form shows what is stored (after 清除 too).
  const [version, setVersion] = useState(0);
  const region = typeof facts.regionCode === "string" ? facts.regionCode : "";
  const calc = useQuery({
    queryKey: ["calculate", facts, asOf],
    queryFn: () => ok(api.POST("/api/calculate", { body: { facts, asOf } })),
    enabled: Boolean(region),
    placeholderData: keepPreviousData,
  });
  const answered = useMemo(() => Object.keys(facts).length, [facts]);

  const save = async (patch: Record<string, unknown>) => {
    const next = applyPatch(facts, patch);
    try {
      rules.compiled?.validate(next);
    } catch (e) {
      if (e instanceof ProfileValidationError) {
        void message.error(
          `请检查：${e.issues.map((i) => `${i.label ?? i.field}：${i.message}`).join("；")}`,
        );
        return false;
      }
      throw e;
    }
    saveAnswers(next);
    setFacts(next);
    setVersion((v) => v + 1);
    void message.success("已保存在本机浏览器，测算结果已更新");
    return true;
  };

  const clear = () =>
    modal.confirm({
      title: "清除本机保存的答案？",
      content: "将删除这台设备浏览器里保存的全部回答，测算结果随之清空。",
      okText: "清除",
      okButtonProps: { danger: true },
      cancelText: "取消",
      onOk: () => {
        clearAnswers();
        setFacts({});
        setVersion((v) => v + 1);
        void message.success("已清除本机保存的答案");
      },
    });

  return (
    <Page
      title="政策计算器"
      loading={rules.isLoading}
      error={rules.error ?? calc.error}
      extra={<Typography.Text type="secondary">测算日：{asOf}</Typography.Text>}
    >
      {rules.compiled && (
        <Space orientation="vertical" size={16} style={{ width: "100%" }}>
          <Alert
            type="info"
            showIcon
            title="免登录测算：答案只保存在本机浏览器"
            description={
              <span>
                回答只保存在这台设备的浏览器里（已保存 {answered} 项），测算时发送到平台计算、不留存。
                <Link to="/register">注册企业账户</Link>后，这些回答会自动存入企业画像。
              </span>
            }
            action={
              // Not antd's danger style: its red (#ff4d4f) on white falls below 4.5:1 contrast.
              <Button
                size="small"
                disabled={answered === 0}
                onClick={clear}
                style={answered === 0 ? undefined : { color: "#a8071a", borderColor: "#ffa39e" }}
              >
                清除
              </Button>
            }
          />
          <Row gutter={[16, 16]}>
            <Col xs={{ span: 24, order: 2 }} lg={{ span: 16, order: 1 }}>
              <WizardCard
                profile={facts}
                compiled={rules.compiled}
                figures={calc.data}
                asOf={asOf}
                save={save}
                basicsKey={String(version)}
                leading={LEADING}
                required={LEADING}
                resultsLink={<a href="#h-results">查看下方测算结果</a>}
              />
            </Col>
            <Col xs={{ span: 24, order: 1 }} lg={{ span: 8, order: 2 }}>
              <TotalsCard
                data={region ? calc.data : undefined}
                updating={calc.isFetching}
                link={
                  region ? (
                    <a href="#h-results">查看各项措施</a>
                  ) : (
                    <Typography.Text type="secondary">先选择所在区县，即可测算</Typography.Text>
                  )
                }
              />
            </Col>
          </Row>
          {region && calc.data && (
            <section aria-labelledby="h-results">
              <h2 id="h-results" style={{ fontSize: 18 }}>
                测算结果
              </h2>
              <CalculatorResults
                data={calc.data}
                asOf={asOf}
                region={region}
                profile={facts}
                questionsAction={<Typography.Text type="secondary">在上方「关键问题」中回答</Typography.Text>}
              />
            </section>
          )}
        </Space>
      )}
    </Page>
  );
}

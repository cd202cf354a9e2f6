/**
 * 免申即享措施 (/admin/exemption, policy admin): every monetary measure with its 免申即享 flag; flagging or
 * removing it asks first and says what it means (each change is kept as history and audited).
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Input, Select, Space, Table, Typography } from "antd";
import { useState } from "react";
import { Link } from "react-router";
import { api, errorText, ok } from "../../api/client";
import type { paths } from "../../api/schema";
import { ExemptionTag, LINK, MUTED } from "../../components/ApplicationTags";
import { Page } from "../../components/Page";
import { useExemptionFlags } from "../../components/useExemptionFlags";
import { EXEMPTION_MEANING } from "../officer/ExemptionMeasures";

type Measure =
  paths["/api/measures"]["get"]["responses"][200]["content"]["application/json"]["items"][number];

export default function ExemptionFlags() {
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const flags = useExemptionFlags();
  const [doc, setDoc] = useState<string | undefined>(undefined);
  const [needle, setNeedle] = useState("");
  const [busy, setBusy] = useState<string | null>(null);
  const q = useQuery({
    queryKey: ["measures", "monetary", doc ?? ""],
    queryFn: () =>
      ok(
        api.GET("/api/measures", {
          params: { query: { monetary: "true", pageSize: 200, ...(doc ? { documentId: doc } : {}) } },
        }),
      ),
  });
  const docs = useQuery({ queryKey: ["documents"], queryFn: () => ok(api.GET("/api/documents")) });
  const items = (q.data?.items ?? []).filter(
    (m) => !needle.trim() || m.title.includes(needle.trim()) || m.id.includes(needle.trim()),
  );

  function toggle(m: Measure) {
    const on = !flags.has(m.id);
    modal.confirm({
      title: on ? "标为免申即享" : "取消免申即享",
      content: on
        ? `将把「${m.title}」标为免申即享：牵头单位（${m.leadDepartmentName}）的经办人将看到本区县符合条件的企业名单，依据部门数据确认后直接生成已通过的兑现，企业无需申请。只适合条件能由政府数据判定的措施。`
        : `将取消「${m.title}」的免申即享：牵头单位不再能从名单确认兑现；已生成的兑现照常办理。`,
      okText: on ? "确认标为免申即享" : "确认取消",
      cancelText: "取消",
      okButtonProps: { autoInsertSpace: false },
      cancelButtonProps: { autoInsertSpace: false },
      onOk: async () => {
        const [documentId = "", item = ""] = m.id.split("/");
        setBusy(m.id);
        try {
          await ok(
            api.PUT("/api/exemption/measures/{documentId}/{item}/flag", {
              params: { path: { documentId, item } },
              body: { flagged: on },
            }),
          );
          void message.success(on ? `已标为免申即享：${m.title}` : `已取消免申即享：${m.title}`);
          await qc.invalidateQueries({ queryKey: ["exemption"] });
        } catch (e) {
          void message.error(errorText(e));
        } finally {
          setBusy(null);
        }
      },
    });
  }

  return (
    <Page title="免申即享措施" error={q.error}>
      <Alert type="info" showIcon title={EXEMPTION_MEANING} style={{ marginBottom: 16 }} />
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          aria-label="政策文件"
          placeholder="全部政策文件"
          style={{ minWidth: 240 }}
          value={doc}
          onChange={(v) => setDoc(v)}
          options={(docs.data?.items ?? []).map((d) => ({ value: d.id, label: `${d.docNumber} ${d.title}` }))}
        />
        <Input.Search
          aria-label="按措施名称查找"
          placeholder="按措施名称查找"
          allowClear
          onSearch={setNeedle}
          onChange={(e) => setNeedle(e.target.value)}
          style={{ width: 240 }}
        />
      </Space>
      <Table<Measure>
        rowKey="id"
        size="small"
        loading={q.isLoading}
        dataSource={items}
        pagination={{ pageSize: 50, showSizeChanger: false }}
        scroll={{ x: 640 }}
        aria-label="资金类措施"
        columns={[
          {
            title: "措施",
            key: "title",
            render: (_, m) => (
              <div>
                <Link style={{ color: LINK }} to={`/measures/${m.id}`}>
                  {m.title}
                </Link>{" "}
                {flags.has(m.id) && <ExemptionTag />}
                <div>
                  <Typography.Text style={{ color: MUTED, fontSize: 12 }}>
                    {m.docNumber} · {m.id}
                  </Typography.Text>
                </div>
              </div>
            ),
          },
          { title: "牵头单位", dataIndex: "leadDepartmentName", width: 140 },
          {
            title: "免申即享",
            key: "flag",
            width: 150,
            render: (_, m) => (
              <Button
                size="small"
                loading={busy === m.id}
                onClick={() => toggle(m)}
                autoInsertSpace={false}
                aria-label={`${flags.has(m.id) ? "取消免申即享" : "标为免申即享"}：${m.title}`}
              >
                {flags.has(m.id) ? "取消免申即享" : "标为免申即享"}
              </Button>
            ),
          },
        ]}
      />
    </Page>
  );
}

/**
 * 服务专员 (coordinator, on 诉求督办): the district's enterprises with their officer, searchable by name;
 * assign or change the officer (confirming who stops receiving the enterprise's requests), or end it.
 * Basis: 渝经信规范〔2022〕6号第19条 一企一专员; 武隆府办发〔2022〕48号第23条 一企一策一人.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import {
  Alert,
  App,
  Button,
  Card,
  Input,
  List,
  Modal,
  Pagination,
  Popconfirm,
  Select,
  Space,
  Typography,
} from "antd";
import { useState } from "react";
import { api, errorText, ok } from "../../api/client";
import { MUTED } from "../../components/ApplicationTags";
import { dateOf } from "../../dates";

interface Row {
  enterpriseId: string;
  enterpriseName: string;
  officer: { id: string; name: string; departmentName: string } | null;
  since: string | null;
}

export function OfficerAssignments() {
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [search, setSearch] = useState("");
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<Row | null>(null);
  const [officerId, setOfficerId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const q = useQuery({
    queryKey: ["service-officers", "assignments", search, page],
    queryFn: () =>
      ok(
        api.GET("/api/service-officers/assignments", {
          params: { query: { page, ...(search ? { q: search } : {}) } },
        }),
      ),
  });
  const officers = q.data?.officers ?? [];
  const chosen = officers.find((o) => o.id === officerId);
  const refresh = () => qc.invalidateQueries({ queryKey: ["service-officers"] });

  const assign = async () => {
    if (!editing || !officerId) return;
    setBusy(true);
    try {
      await ok(
        api.PUT("/api/enterprises/{id}/service-officer", {
          params: { path: { id: editing.enterpriseId } },
          body: { officerId },
        }),
      );
      void message.success(`已指定${chosen?.name ?? ""}为${editing.enterpriseName}的服务专员`);
      setEditing(null);
      setOfficerId(null);
      await refresh();
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const end = async (r: Row) => {
    try {
      await ok(
        api.DELETE("/api/enterprises/{id}/service-officer", { params: { path: { id: r.enterpriseId } } }),
      );
      void message.success(`已解除${r.enterpriseName}的服务专员`);
      await refresh();
    } catch (e) {
      void message.error(errorText(e));
    }
  };

  const changing = editing?.officer && chosen && chosen.id !== editing.officer.id;
  return (
    <Card
      size="small"
      title={<h2 style={{ margin: 0, fontSize: 16 }}>服务专员</h2>}
      style={{ marginTop: 16 }}
    >
      <Typography.Paragraph style={{ color: MUTED }}>
        一企一专员：为本区县企业指定一名部门经办人作为服务专员，企业能看到专员的姓名和办公电话，企业的诉求先交给专员受理。
      </Typography.Paragraph>
      <label htmlFor="officer-enterprise-search">按企业名称搜索</label>
      <Input.Search
        id="officer-enterprise-search"
        allowClear
        placeholder="输入企业名称中的字"
        style={{ maxWidth: 360, display: "block", margin: "4px 0 12px" }}
        onSearch={(v) => {
          setSearch(v.trim());
          setPage(1);
        }}
      />
      {q.error ? (
        <Alert type="error" showIcon title={errorText(q.error)} />
      ) : (
        <List
          loading={q.isLoading}
          dataSource={q.data?.items ?? []}
          locale={{ emptyText: "没有找到企业" }}
          renderItem={(r) => (
            <List.Item key={r.enterpriseId}>
              <Space orientation="vertical" size={2} style={{ width: "100%" }}>
                <Typography.Text strong>{r.enterpriseName}</Typography.Text>
                <Typography.Text style={{ color: MUTED }}>
                  {r.officer
                    ? `服务专员：${r.officer.name}（${r.officer.departmentName}），自 ${dateOf(r.since)} 起`
                    : "尚未指定服务专员"}
                </Typography.Text>
                <Space wrap>
                  <Button
                    size="small"
                    aria-label={`${r.officer ? "更换" : "指定"}${r.enterpriseName}的服务专员`}
                    onClick={() => {
                      setEditing(r);
                      setOfficerId(null);
                    }}
                  >
                    {r.officer ? "更换专员" : "指定专员"}
                  </Button>
                  {r.officer && (
                    <Popconfirm
                      title={`解除${r.officer.name}作为${r.enterpriseName}的服务专员？`}
                      description="解除后企业的诉求按类别交负责部门办理，指定记录保留。"
                      okText="解除"
                      cancelText="取消"
                      onConfirm={() => end(r)}
                    >
                      <Button
                        size="small"
                        style={{ color: "#a8071a", borderColor: "#ffa39e" }}
                        aria-label={`解除${r.enterpriseName}的服务专员`}
                      >
                        解除
                      </Button>
                    </Popconfirm>
                  )}
                </Space>
              </Space>
            </List.Item>
          )}
        />
      )}
      {q.data && q.data.total > q.data.pageSize && (
        <Pagination
          size="small"
          current={page}
          pageSize={q.data.pageSize}
          total={q.data.total}
          onChange={setPage}
          showSizeChanger={false}
        />
      )}
      <Modal
        open={editing !== null}
        title={editing ? `${editing.enterpriseName}的服务专员` : "服务专员"}
        okText={changing ? "确认更换" : "确认指定"}
        cancelText="取消"
        okButtonProps={{ disabled: !officerId || officerId === editing?.officer?.id, loading: busy }}
        onCancel={() => setEditing(null)}
        onOk={assign}
        destroyOnHidden
      >
        <label htmlFor="officer-select">服务专员</label>
        <Select
          id="officer-select"
          style={{ width: "100%", marginTop: 4 }}
          placeholder="选择本区县部门的一名经办人"
          showSearch={{ optionFilterProp: "label" }}
          value={officerId}
          onChange={(v: string) => setOfficerId(v)}
          options={officers.map((o) => ({ value: o.id, label: `${o.name}（${o.departmentName}）` }))}
        />
        {editing?.officer && chosen && changing && (
          <Alert
            type="warning"
            showIcon
            style={{ marginTop: 12 }}
            title={`将把 ${editing.enterpriseName} 的服务专员由 ${editing.officer.name} 改为 ${chosen.name}，${editing.officer.name} 不再收到该企业的诉求。`}
          />
        )}
      </Modal>
    </Card>
  );
}

/**
 * 诉求分派规则 (coordinator: its district; the API also lets policy admins set the city-wide default): which
 * department takes each category. The district's own row wins over the 全市默认 row.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Form, Select, Space, Table } from "antd";
import { useState } from "react";
import { api, errorText, ok } from "../../api/client";
import { useNarrow } from "../../components/useNarrow";
import { useServiceOptions } from "./shared";

export function RoutesEditor() {
  const { message } = App.useApp();
  const narrow = useNarrow();
  const qc = useQueryClient();
  const options = useServiceOptions();
  const q = useQuery({ queryKey: ["service-routes"], queryFn: () => ok(api.GET("/api/service-routes")) });
  const [form] = Form.useForm<{ category: string; regionCode: string; department: string }>();
  const [busy, setBusy] = useState(false);
  const save = async (v: { category: string; regionCode: string; department: string }) => {
    setBusy(true);
    try {
      const data = await ok(
        api.PUT("/api/service-routes", {
          body: { category: v.category as "用工", regionCode: v.regionCode, department: v.department },
        }),
      );
      qc.setQueryData(["service-routes"], data);
      void message.success("分派规则已保存，新提出的诉求按新规则分派");
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const data = q.data;
  return (
    <Card
      size="small"
      title={<h2 style={{ margin: 0, fontSize: 16 }}>诉求分派规则</h2>}
      style={{ marginTop: 16 }}
      loading={q.isLoading}
    >
      {data && (
        <Space orientation="vertical" style={{ width: "100%" }}>
          {narrow ? (
            <ul style={{ margin: 0, paddingLeft: 20 }}>
              {data.rows.map((r) => (
                <li key={`${r.category}-${r.regionCode}`}>
                  {r.regionName} · {r.category} → {r.departmentName}
                </li>
              ))}
            </ul>
          ) : (
            <Table
              size="small"
              pagination={false}
              rowKey={(r) => `${r.category}-${r.regionCode}`}
              dataSource={data.rows}
              columns={[
                { title: "区县", dataIndex: "regionName" },
                { title: "诉求类别", dataIndex: "category" },
                { title: "负责部门", dataIndex: "departmentName" },
              ]}
            />
          )}
          <Form
            name="service-routes"
            form={form}
            layout={narrow ? "vertical" : "inline"}
            onFinish={save}
            initialValues={{ regionCode: data.districts[0]?.value }}
          >
            <Form.Item name="regionCode" label="区县" rules={[{ required: true, message: "请选择区县" }]}>
              <Select options={data.districts} style={{ minWidth: 140 }} />
            </Form.Item>
            <Form.Item
              name="category"
              label="诉求类别"
              rules={[{ required: true, message: "请选择诉求类别" }]}
            >
              <Select
                placeholder="请选择"
                options={(options.data?.categories ?? []).map((c) => ({ value: c, label: c }))}
                style={{ minWidth: 120 }}
              />
            </Form.Item>
            <Form.Item
              name="department"
              label="负责部门"
              rules={[{ required: true, message: "请选择负责部门" }]}
            >
              <Select placeholder="请选择" options={data.departments} style={{ minWidth: 200 }} />
            </Form.Item>
            <Form.Item>
              <Button htmlType="submit" loading={busy}>
                保存分派规则
              </Button>
            </Form.Item>
          </Form>
        </Space>
      )}
    </Card>
  );
}

/**
 * 预览: pick any enterprise in the platform and see, for each measure of this document, the result under the
 * files being edited (结论、金额、缺少的信息、解释) next to the published version's. The explanation is the
 * engine's one renderer, worded by the server with the edited library (so new facts have their labels).
 */
import type { RenderedLine } from "@huiqi/engine";
import { useMutation, useQuery } from "@tanstack/react-query";
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Empty,
  Form,
  Select,
  Space,
  Spin,
  Tag,
  Typography,
} from "antd";
import dayjs from "dayjs";
import { useEffect, useId, useState } from "react";
import { api, errorText, ok, yuanExact } from "../../../api/client";
import type { paths } from "../../../api/schema";
import { today } from "../../../dates";
import { Lines } from "../../enterprise/ExplainTree";
import type { TabProps } from "./types";

type PreviewBody =
  paths["/api/policy-documents/{documentId}/preview"]["post"]["responses"][200]["content"]["application/json"];
type PreviewMeasure = PreviewBody["measures"][number];
type Amount = NonNullable<NonNullable<PreviewMeasure["published"]>["amount"]>;

const OUTCOME_COLOR: Record<string, string> = {
  eligible: "success",
  ineligible: "default",
  undetermined: "warning",
};

/** 分 → exact text with two decimals: "200,000.00元", "100,000.00元～200,000.00元", "上限未定". */
function exact(a: Amount | null, unstated: boolean): string {
  if (unstated) return "金额以申报通知为准";
  if (!a) return "无金额";
  if (a.max === a.min) return yuanExact(a.min);
  return `${yuanExact(a.min)}～${a.max === null ? "上限未定" : yuanExact(a.max)}`;
}

function useDebounced<T>(v: T, ms: number): T {
  const [d, setD] = useState(v);
  useEffect(() => {
    const t = setTimeout(() => setD(v), ms);
    return () => clearTimeout(t);
  }, [v, ms]);
  return d;
}

export default function PreviewTab(props: TabProps) {
  const base = useId();
  const [q, setQ] = useState("");
  const query = useDebounced(q, 300);
  const [enterpriseId, setEnterpriseId] = useState<string | undefined>();
  const [asOf, setAsOf] = useState(today());
  const [ranWith, setRanWith] = useState<string | null>(null);
  const search = useQuery({
    queryKey: ["editor-enterprises", query],
    queryFn: () =>
      ok(api.GET("/api/policy-documents/enterprises", { params: { query: { q: query || undefined } } })),
  });
  const preview = useMutation({
    mutationFn: (body: { enterpriseId: string; asOf: string }) =>
      ok(
        api.POST("/api/policy-documents/{documentId}/preview", {
          params: { path: { documentId: props.documentId } },
          body: {
            files: props.files as { "document.yaml": string; "measures.yaml": string },
            enterpriseId: body.enterpriseId,
            asOf: body.asOf,
          },
        }),
      ),
    onSuccess: () => setRanWith(JSON.stringify(props.files)),
  });
  const run = (id = enterpriseId, date = asOf) => {
    if (id) preview.mutate({ enterpriseId: id, asOf: date });
  };
  const stale = ranWith !== null && ranWith !== JSON.stringify(props.files);
  const data = preview.data;

  return (
    <div>
      <Form layout="vertical" component="div" style={{ maxWidth: 640 }}>
        <Form.Item label="企业（按名称或统一社会信用代码查找）" htmlFor={`${base}-ent`}>
          <Select
            id={`${base}-ent`}
            showSearch={{ filterOption: false, onSearch: setQ }}
            value={enterpriseId}
            placeholder="输入企业名称或信用代码"
            notFoundContent={search.isFetching ? <Spin size="small" /> : "没有找到企业"}
            options={(search.data?.items ?? []).map((e) => ({
              value: e.id,
              label: e.district ? `${e.name}（${e.district}）` : e.name,
            }))}
            onChange={(v: string) => {
              setEnterpriseId(v);
              run(v);
            }}
          />
        </Form.Item>
        <Space wrap align="end">
          <Form.Item label="测算日" htmlFor={`${base}-asof`}>
            <DatePicker
              id={`${base}-asof`}
              allowClear={false}
              value={dayjs(asOf)}
              onChange={(d) => {
                if (!d) return;
                const v = d.format("YYYY-MM-DD");
                setAsOf(v);
                run(enterpriseId, v);
              }}
            />
          </Form.Item>
          <Form.Item>
            <Button type="primary" disabled={!enterpriseId} loading={preview.isPending} onClick={() => run()}>
              {stale ? "按最新修改重新预览" : "预览"}
            </Button>
          </Form.Item>
        </Space>
      </Form>
      {preview.isError && (
        <Alert type="error" showIcon title="无法预览" description={errorText(preview.error)} role="alert" />
      )}
      {stale && !preview.isPending && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title="文件在预览之后又有修改，下面是修改前的结果"
        />
      )}
      {!data && !preview.isPending && !preview.isError && (
        <Empty description="选择一家企业，查看按正在编辑的文件测算的结果，并与现行版本对照" />
      )}
      {data && (
        <>
          <Typography.Paragraph>
            {data.enterprise.name}
            {data.enterprise.district ? `（${data.enterprise.district}）` : ""}，测算日{" "}
            {dayjs(data.asOf).format("YYYY年M月D日")}
          </Typography.Paragraph>
          {data.measures.map((m) => (
            <MeasurePreview key={m.measureId} m={m} />
          ))}
        </>
      )}
    </div>
  );
}

function MeasurePreview({ m }: { m: PreviewMeasure }) {
  const d = m.draft;
  const p = m.published;
  const changed =
    d && p && (d.outcome !== p.outcome || d.amount?.min !== p.amount?.min || d.amount?.max !== p.amount?.max);
  return (
    <Card
      size="small"
      style={{ marginBottom: 12 }}
      title={<span style={{ whiteSpace: "normal" }}>{m.title}</span>}
      extra={
        changed ? (
          <Tag style={{ color: "#003a8c", background: "#e6f4ff", borderColor: "#91caff" }}>
            与现行版本不同
          </Tag>
        ) : null
      }
    >
      <Descriptions
        size="small"
        column={1}
        items={[
          {
            key: "draft",
            label: "按编辑中的文件",
            children: d ? (
              <span>
                <Tag color={OUTCOME_COLOR[d.outcome]}>{d.outcomeText}</Tag>
                {d.outcome !== "ineligible" && exact(d.amount, d.amountUnstated)}
              </span>
            ) : (
              "修改后已删除这项措施"
            ),
          },
          {
            key: "published",
            label: "按现行版本",
            children: p ? (
              <span>
                <Tag color={OUTCOME_COLOR[p.outcome]}>{p.outcomeText}</Tag>
                {p.outcome !== "ineligible" && exact(p.amount, p.amountUnstated)}
              </span>
            ) : (
              "尚未发布（新增的措施）"
            ),
          },
          ...(d && d.missing.length > 0
            ? [{ key: "missing", label: "缺少的信息", children: d.missing.map((x) => x.label).join("、") }]
            : []),
          ...(d?.reason ? [{ key: "reason", label: "不符合的原因", children: d.reason }] : []),
        ]}
      />
      {d && (
        <details style={{ marginTop: 8 }}>
          <summary style={{ cursor: "pointer" }}>查看解释（每个条件的实际值与金额算式）</summary>
          <div style={{ marginLeft: -18 }}>
            <Lines lines={d.rendered.checks as unknown as RenderedLine[]} />
          </div>
          {d.rendered.amount && (
            <>
              <Typography.Text strong>金额测算：{d.rendered.amount.total}</Typography.Text>
              <div style={{ marginLeft: -18 }}>
                <Lines lines={d.rendered.amount.lines as unknown as RenderedLine[]} />
              </div>
            </>
          )}
        </details>
      )}
    </Card>
  );
}

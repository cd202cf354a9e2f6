/**
 * 差异: what the files being edited change against the published revision, field by field, in words —
 * document fields, each measure 新增／删除／修改 with before and after, and the cases added, removed, changed.
 */
import { useQuery } from "@tanstack/react-query";
import { Alert, Button, Card, Empty, Space, Spin, Tag, Typography } from "antd";
import { useEffect, useState } from "react";
import { api, errorText, ok } from "../../../api/client";
import type { paths } from "../../../api/schema";
import { useNarrow } from "../../../components/useNarrow";
import type { EditorFiles, TabProps } from "./types";

type DiffBody =
  paths["/api/policy-documents/{documentId}/diff"]["post"]["responses"][200]["content"]["application/json"];
type FieldChange = DiffBody["document"][number];

const CHANGE: Record<DiffBody["measures"][number]["change"], { label: string; style: React.CSSProperties }> =
  {
    added: { label: "新增", style: { color: "#135200", background: "#f6ffed", borderColor: "#b7eb8f" } },
    removed: { label: "删除", style: { color: "#a8071a", background: "#fff1f0", borderColor: "#ffa39e" } },
    changed: { label: "修改", style: { color: "#003a8c", background: "#e6f4ff", borderColor: "#91caff" } },
  };

function useDebounced<T>(v: T, ms: number): T {
  const [d, setD] = useState(v);
  useEffect(() => {
    const t = setTimeout(() => setD(v), ms);
    return () => clearTimeout(t);
  }, [v, ms]);
  return d;
}

function Fields({ fields, added }: { fields: FieldChange[]; added: boolean }) {
  const narrow = useNarrow();
  const cell: React.CSSProperties = { whiteSpace: "pre-wrap", wordBreak: "break-word", verticalAlign: "top" };
  if (added || narrow)
    return (
      <dl style={{ margin: 0 }}>
        {fields.map((f) => (
          <div key={f.label} style={{ marginBottom: 8 }}>
            <dt style={{ fontWeight: 600 }}>{f.label}</dt>
            {!added && (
              <dd style={{ ...cell, margin: 0, color: "#595959" }}>修改前：{f.before || "（无）"}</dd>
            )}
            <dd style={{ ...cell, margin: 0 }}>
              {added ? "" : "修改后："}
              {f.after || "（无）"}
            </dd>
          </div>
        ))}
      </dl>
    );
  return (
    <table style={{ width: "100%", borderCollapse: "collapse" }}>
      <thead>
        <tr>
          <th scope="col" style={{ textAlign: "left", width: "16%" }}>
            项目
          </th>
          <th scope="col" style={{ textAlign: "left", width: "42%" }}>
            修改前（现行）
          </th>
          <th scope="col" style={{ textAlign: "left" }}>
            修改后
          </th>
        </tr>
      </thead>
      <tbody>
        {fields.map((f) => (
          <tr key={f.label} style={{ borderTop: "1px solid #f0f0f0" }}>
            <th scope="row" style={{ ...cell, textAlign: "left", fontWeight: 600 }}>
              {f.label}
            </th>
            <td style={{ ...cell, color: "#595959" }}>{f.before || "（无）"}</td>
            <td style={cell}>{f.after || "（无）"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export default function DiffTab(props: TabProps) {
  const files = useDebounced<EditorFiles>(props.files, 600);
  const q = useQuery({
    queryKey: ["editor-diff", props.documentId, JSON.stringify(files)],
    queryFn: () =>
      ok(
        api.POST("/api/policy-documents/{documentId}/diff", {
          params: { path: { documentId: props.documentId } },
          body: { files: files as { "document.yaml": string; "measures.yaml": string } },
        }),
      ),
    enabled: files["document.yaml"] !== undefined && files["measures.yaml"] !== undefined,
    placeholderData: (prev) => prev,
    retry: false,
  });
  const d = q.data;
  if (q.isError)
    return (
      <Alert
        type="warning"
        showIcon
        role="alert"
        title="文件目前无法编译，暂时不能比较差异"
        description={errorText(q.error)}
        action={
          <Button size="small" onClick={() => q.refetch()}>
            重试
          </Button>
        }
      />
    );
  if (!d)
    return (
      <span role="status" aria-label="正在比较">
        <Spin />
      </span>
    );
  const cases = d.cases;
  const nothing =
    d.document.length === 0 &&
    d.measures.length === 0 &&
    cases.added.length + cases.removed.length + cases.changed.length === 0;
  const counts = (["added", "changed", "removed"] as const).map(
    (k) => [k, d.measures.filter((m) => m.change === k).length] as const,
  );
  return (
    <div>
      <Typography.Paragraph>
        {d.published ? "与现行版本相比：" : "这份文件还没有现行版本，以下全部为新增："}
        {counts
          .filter(([, n]) => n > 0)
          .map(([k, n]) => `${CHANGE[k].label} ${n} 项措施`)
          .join("，") || "措施没有变化"}
        {q.isFetching && <Spin size="small" style={{ marginLeft: 8 }} />}
      </Typography.Paragraph>
      {nothing && <Empty description="与现行版本没有差异" />}
      {d.document.length > 0 && (
        <Card size="small" title="文件信息" style={{ marginBottom: 12 }}>
          <Fields fields={d.document} added={!d.published} />
        </Card>
      )}
      {d.measures.map((m) => (
        <Card
          key={m.measureId}
          size="small"
          style={{ marginBottom: 12 }}
          title={
            <Space wrap>
              <Tag style={CHANGE[m.change].style}>{CHANGE[m.change].label}</Tag>
              <span style={{ whiteSpace: "normal" }}>{m.title}</span>
            </Space>
          }
        >
          {m.change === "removed" ? (
            <Typography.Text>这项措施将从政策库中删除（已有的申报与历史保留）。</Typography.Text>
          ) : (
            <Fields fields={m.fields} added={m.change === "added"} />
          )}
        </Card>
      ))}
      {cases.added.length + cases.removed.length + cases.changed.length > 0 && (
        <Card size="small" title="用例" style={{ marginBottom: 12 }}>
          <Typography.Paragraph>
            新增 {cases.added.length} 个，修改 {cases.changed.length} 个，删除 {cases.removed.length} 个。
          </Typography.Paragraph>
          {(
            [
              ["新增", cases.added],
              ["修改", cases.changed],
              ["删除", cases.removed],
            ] as const
          )
            .filter(([, names]) => names.length > 0)
            .map(([label, names]) => (
              <div key={label}>
                <Typography.Text strong>{label}：</Typography.Text>
                {names.join("；")}
              </div>
            ))}
        </Card>
      )}
    </div>
  );
}

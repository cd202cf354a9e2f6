/**
 * 政策编辑 (policy admin), /admin/documents/:documentId/edit/:revision: a revision's files as the single source of
 * truth, edited by forms (措施, 事实), by hand (专家模式) and checked live — every change is compiled with the
 * rest of the library and its cases run (≈600 ms after the last keystroke). "保存为新草稿" stores the files as a
 * new draft revision, which then goes through the usual review.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Input, Space, Spin, Tabs, Typography } from "antd";
import { lazy, type ReactNode, Suspense, useCallback, useEffect, useRef, useState } from "react";
import { useLocation, useNavigate, useParams } from "react-router";
import { api, errorText, ok } from "../../../api/client";
import { Page } from "../../../components/Page";
import ExpertTab from "./ExpertTab";
import FactsTab from "./FactsTab";
import MeasuresTab from "./MeasuresTab";
import {
  type CheckResult,
  EDITOR_FILES,
  type EditorFileName,
  type EditorFiles,
  type TabProps,
} from "./types";
import { useVocabulary } from "./vocabulary";

const CasesTab = lazy(() => import("./CasesTab"));
const PreviewTab = lazy(() => import("./PreviewTab"));
const DiffTab = lazy(() => import("./DiffTab"));

const CHECK_DELAY_MS = 600;

const pickFiles = (raw: Record<string, string>): EditorFiles => {
  const out: EditorFiles = {};
  for (const n of EDITOR_FILES) if (raw[n] !== undefined) out[n] = raw[n];
  return out;
};

/** The files the server stores: the editor's, plus any it does not edit (stacking.yaml) as they were. */
const withUnedited = (files: EditorFiles, raw: Record<string, string>): Record<string, string> => {
  const out: Record<string, string> = { ...raw };
  for (const n of EDITOR_FILES) {
    const t = files[n];
    if (t === undefined) delete out[n];
    else out[n] = t;
  }
  return out;
};

function StatusLine({ check, checking }: { check: CheckResult | null; checking: boolean }) {
  if (!check)
    return (
      <span role="status">
        <Spin size="small" /> 正在检查…
      </span>
    );
  const failing = check.cases.filter((c) => !c.passed).length;
  return (
    <Space wrap role="status" aria-live="polite" data-compiled={check.compiled}>
      {check.compiled ? (
        <Typography.Text style={{ color: "#237804" }}>✓ 能编译</Typography.Text>
      ) : (
        <Typography.Text style={{ color: "#a8071a" }}>✗ {check.errors.length} 处错误</Typography.Text>
      )}
      {check.compiled && (
        <Typography.Text>
          用例 通过 {check.passing}
          {failing > 0 ? (
            <span style={{ color: "#a8071a" }}> / 未通过 {failing}</span>
          ) : (
            ` / 未通过 ${failing}`
          )}
        </Typography.Text>
      )}
      {check.compiled && check.short.length > 0 && (
        <Typography.Text style={{ color: "#874d00" }}>
          资金类措施用例不足：{check.short.map((s) => `「${s.title}」（${s.passing} 个）`).join("、")}
        </Typography.Text>
      )}
      {checking && <Typography.Text type="secondary">正在重新检查…</Typography.Text>}
    </Space>
  );
}

export default function Editor() {
  const params = useParams();
  const documentId = params.documentId ?? "";
  const revision = Number(params.revision);
  const navigate = useNavigate();
  const location = useLocation();
  const qc = useQueryClient();
  const { message } = App.useApp();

  const listing = useQuery({
    queryKey: ["policy-documents"],
    queryFn: () => ok(api.GET("/api/policy-documents")),
  });
  const doc = listing.data?.items.find((d) => d.documentId === documentId);
  const publishedRev = doc?.revisions.find((r) => r.state === "published")?.revision ?? null;
  const current = useQuery({
    queryKey: ["policy-revision", documentId, revision],
    queryFn: () =>
      ok(
        api.GET("/api/policy-documents/{documentId}/revisions/{revision}", {
          params: { path: { documentId, revision } },
        }),
      ),
    enabled: documentId !== "" && Number.isInteger(revision),
  });
  const published = useQuery({
    queryKey: ["policy-revision", documentId, publishedRev],
    queryFn: () =>
      ok(
        api.GET("/api/policy-documents/{documentId}/revisions/{revision}", {
          params: { path: { documentId, revision: publishedRev ?? 0 } },
        }),
      ),
    enabled: publishedRev !== null,
  });

  const [files, setFiles] = useState<EditorFiles | null>(null);
  const [loadedFrom, setLoadedFrom] = useState<string | null>(null);
  const [check, setCheck] = useState<CheckResult | null>(null);
  const [checking, setChecking] = useState(false);
  const [note, setNote] = useState("");
  const [saving, setSaving] = useState(false);
  const key = `${documentId}/${revision}`;

  // (Re)load when the revision changes (after saving, the editor opens the new one).
  useEffect(() => {
    if (current.data && loadedFrom !== key) {
      setFiles(pickFiles(current.data.files));
      setLoadedFrom(key);
      setCheck(null);
    }
  }, [current.data, key, loadedFrom]);

  const original = current.data ? pickFiles(current.data.files) : null;
  const dirty = files !== null && original !== null && EDITOR_FILES.some((n) => files[n] !== original[n]);

  // Live check, debounced; only the latest answer counts.
  const seq = useRef(0);
  useEffect(() => {
    if (!files || !current.data) return;
    const n = ++seq.current;
    setChecking(true);
    const t = setTimeout(async () => {
      try {
        const r = await ok(
          api.POST("/api/policy-documents/{documentId}/check", {
            params: { path: { documentId } },
            body: { files: withUnedited(files, current.data.files) },
          }),
        );
        if (n === seq.current) setCheck(r);
      } catch (e) {
        if (n === seq.current)
          setCheck({
            compiled: false,
            errors: [{ file: "", line: null, measureId: null, fact: null, message: errorText(e) }],
            cases: [],
            passing: 0,
            short: [],
          });
      } finally {
        if (n === seq.current) setChecking(false);
      }
    }, CHECK_DELAY_MS);
    return () => clearTimeout(t);
  }, [files, documentId, current.data]);

  // Unsaved changes: warn before the page is left (reload, close, or a link elsewhere).
  useEffect(() => {
    if (!dirty) return;
    const onUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
    };
    const onClick = (e: MouseEvent) => {
      const a = (e.target as HTMLElement | null)?.closest?.("a[href]");
      if (!a || a.getAttribute("target") === "_blank") return;
      if (!window.confirm("有尚未保存的修改，离开后将丢失。确定离开？")) {
        e.preventDefault();
        e.stopPropagation();
      }
    };
    window.addEventListener("beforeunload", onUnload);
    document.addEventListener("click", onClick, true);
    return () => {
      window.removeEventListener("beforeunload", onUnload);
      document.removeEventListener("click", onClick, true);
    };
  }, [dirty]);

  const setFile = useCallback((name: EditorFileName, text: string) => {
    setFiles((prev) => (prev && prev[name] === text ? prev : { ...(prev ?? {}), [name]: text }));
  }, []);

  const vocab = useVocabulary(files?.["facts.yaml"]);

  const save = async () => {
    if (!files || !current.data) return;
    setSaving(true);
    try {
      const r = await ok(
        api.POST("/api/policy-documents/{documentId}/revisions", {
          params: { path: { documentId } },
          body: {
            files: withUnedited(files, current.data.files),
            ...(note.trim() ? { note: note.trim() } : {}),
          },
        }),
      );
      await qc.invalidateQueries({ queryKey: ["policy-documents"] });
      setNote("");
      // The saved files are the new revision's: not dirty any more.
      setLoadedFrom(null);
      navigate(`/admin/documents/${documentId}/edit/${r.revision}`, { state: { saved: r.revision } });
      message.success(`已保存为第 ${r.revision} 版草稿`);
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setSaving(false);
    }
  };

  const saved = (location.state as { saved?: number } | null)?.saved;
  const title = doc?.title ?? documentId;
  const thisRev = doc?.revisions.find((r) => r.revision === revision);

  if (current.error || listing.error)
    return <Page title="编辑政策文件" error={current.error ?? listing.error} />;
  if (!files || !current.data || loadedFrom !== key) return <Page title="编辑政策文件" loading />;

  const tabProps: TabProps = {
    documentId,
    revision,
    files,
    setFile,
    published: published.data ? pickFiles(published.data.files) : null,
    check,
  };
  const lazyTab = (node: ReactNode) => <Suspense fallback={<Spin />}>{node}</Suspense>;

  return (
    <Page
      title={`编辑《${title}》`}
      extra={
        <Button
          onClick={() => {
            if (!dirty || window.confirm("有尚未保存的修改，离开后将丢失。确定离开？"))
              navigate("/admin/documents");
          }}
        >
          返回版本列表
        </Button>
      }
    >
      {saved === revision && (
        <Alert type="success" showIcon style={{ marginBottom: 12 }} title={`已保存为第 ${revision} 版草稿`} />
      )}
      <Typography.Paragraph style={{ marginBottom: 8 }}>
        从第 {revision} 版{thisRev ? `（${thisRev.stateLabel}）` : ""}
        开始编辑。保存后成为新的草稿版本，原版本不变；草稿须提交并由另一位政策管理员审核后才会发布。
        {dirty && <Typography.Text strong> 有尚未保存的修改。</Typography.Text>}
      </Typography.Paragraph>
      <div
        style={{
          display: "flex",
          flexWrap: "wrap",
          gap: 8,
          alignItems: "center",
          justifyContent: "space-between",
          padding: "8px 12px",
          marginBottom: 12,
          border: "1px solid #f0f0f0",
          borderRadius: 6,
          background: "#fafafa",
        }}
      >
        <StatusLine check={check} checking={checking} />
        <Space.Compact style={{ maxWidth: "100%" }}>
          <Input
            aria-label="修改说明（选填）"
            placeholder="修改说明（选填）"
            value={note}
            maxLength={500}
            onChange={(e) => setNote(e.target.value)}
            style={{ width: 220 }}
          />
          <Button type="primary" loading={saving} onClick={save}>
            保存为新草稿
          </Button>
        </Space.Compact>
      </div>
      <Tabs
        destroyOnHidden
        items={[
          { key: "measures", label: "措施", children: <MeasuresTab {...tabProps} vocab={vocab} /> },
          { key: "facts", label: "事实", children: <FactsTab {...tabProps} vocab={vocab} /> },
          { key: "expert", label: "专家模式", children: <ExpertTab {...tabProps} /> },
          { key: "cases", label: "用例", children: lazyTab(<CasesTab {...tabProps} />) },
          { key: "preview", label: "预览", children: lazyTab(<PreviewTab {...tabProps} />) },
          { key: "diff", label: "差异", children: lazyTab(<DiffTab {...tabProps} />) },
        ]}
      />
    </Page>
  );
}

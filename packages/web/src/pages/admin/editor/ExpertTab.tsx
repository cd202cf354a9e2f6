/**
 * 专家模式: any of the document's files in a CodeMirror editor. The live check's errors are shown at their line
 * (lint marks) and listed below ("第 12 行：…"); a click on one moves the cursor there.
 */
import { yaml } from "@codemirror/lang-yaml";
import { type Diagnostic, lintGutter, setDiagnostics } from "@codemirror/lint";
import { EditorView } from "@codemirror/view";
import { Alert, Button, List, Segmented, Typography } from "antd";
import { basicSetup } from "codemirror";
import { useEffect, useRef, useState } from "react";
import { EDITOR_FILES, type EditorFileName, type TabProps } from "./types";

const FILE_LABEL: Record<EditorFileName, string> = {
  "document.yaml": "文件信息",
  "measures.yaml": "措施",
  "cases.yaml": "用例",
  "facts.yaml": "事实",
  "source.txt": "原文",
};

export default function ExpertTab({ files, setFile, check }: TabProps) {
  const firstWithError = check?.errors.find((e) =>
    (EDITOR_FILES as readonly string[]).includes(e.file),
  )?.file;
  const [name, setName] = useState<EditorFileName>(
    (firstWithError as EditorFileName | undefined) ?? "measures.yaml",
  );
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const setFileRef = useRef(setFile);
  setFileRef.current = setFile;
  const text = files[name] ?? "";

  // One view per file shown; edits go straight to the editor's files.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the view is rebuilt only when another file is chosen.
  useEffect(() => {
    if (!host.current) return;
    const v = new EditorView({
      parent: host.current,
      doc: text,
      extensions: [
        basicSetup,
        // Long lines wrap and the editor grows with the page: it never scrolls inside itself (a scrolling
        // region would need its own keyboard focus) nor sideways on a phone.
        EditorView.lineWrapping,
        ...(name.endsWith(".yaml") ? [yaml()] : []),
        lintGutter(),
        EditorView.contentAttributes.of({ "aria-label": `${FILE_LABEL[name]}（${name}）的全文` }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) setFileRef.current(name, u.state.doc.toString());
        }),
        EditorView.theme({ "&": { fontSize: "13px" } }),
      ],
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
  }, [name]);

  // A change made elsewhere (the forms) shows here.
  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== text)
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: text } });
  }, [text]);

  const errors = (check?.errors ?? []).filter((e) => e.file === name);
  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const doc = v.state.doc;
    const mine = (check?.errors ?? []).filter((e) => e.file === name);
    const diagnostics: Diagnostic[] = mine.map((e) => {
      const line = doc.line(Math.min(Math.max(e.line ?? 1, 1), doc.lines));
      return { from: line.from, to: line.to, severity: "error", message: e.message };
    });
    v.dispatch(setDiagnostics(v.state, diagnostics));
  }, [check, name]);

  const goTo = (lineNo: number) => {
    const v = view.current;
    if (!v) return;
    const line = v.state.doc.line(Math.min(Math.max(lineNo, 1), v.state.doc.lines));
    v.dispatch({ selection: { anchor: line.from }, scrollIntoView: true });
    v.focus();
  };

  const other = (check?.errors ?? []).filter((e) => e.file !== name);
  return (
    <div>
      <Segmented<EditorFileName>
        aria-label="选择文件"
        value={name}
        onChange={setName}
        options={EDITOR_FILES.map((f) => ({ value: f, label: FILE_LABEL[f] }))}
        style={{ marginBottom: 8, maxWidth: "100%", overflowX: "auto" }}
      />
      <div ref={host} style={{ border: "1px solid #d9d9d9", borderRadius: 6 }} data-file={name} />
      {errors.length > 0 && (
        <List
          size="small"
          header={<Typography.Text strong>本文件的错误</Typography.Text>}
          dataSource={errors}
          aria-label="本文件的错误"
          renderItem={(e) => (
            <List.Item>
              {e.line !== null ? (
                <Button
                  type="link"
                  style={{ padding: 0, color: "#a8071a" }}
                  onClick={() => goTo(e.line ?? 1)}
                >
                  第 {e.line} 行：{e.message}
                </Button>
              ) : (
                <Typography.Text style={{ color: "#a8071a" }}>{e.message}</Typography.Text>
              )}
            </List.Item>
          )}
        />
      )}
      {other.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginTop: 8 }}
          title={`其他文件还有 ${other.length} 处错误`}
          description={other.map((e) => (
            <div key={`${e.file}-${e.line}-${e.message}`}>
              {FILE_LABEL[e.file as EditorFileName] ?? "政策库"}
              {e.line !== null ? ` 第 ${e.line} 行` : ""}：{e.message}
            </div>
          ))}
        />
      )}
    </div>
  );
}

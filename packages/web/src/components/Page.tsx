/** Every page: a Chinese document title, a heading, and the loading / error / empty states. */
import { Alert, Empty, Spin, Typography } from "antd";
import { type ReactNode, useEffect } from "react";
import { errorText } from "../api/client";

export function Page(props: {
  title: string;
  extra?: ReactNode;
  loading?: boolean;
  error?: unknown;
  empty?: boolean;
  emptyText?: string;
  children?: ReactNode;
}) {
  useEffect(() => {
    document.title = `${props.title} · 惠企`;
  }, [props.title]);
  return (
    <div>
      <div
        style={{
          display: "flex",
          justifyContent: "space-between",
          alignItems: "center",
          flexWrap: "wrap",
          gap: 8,
        }}
      >
        <Typography.Title level={1} style={{ margin: "0 0 16px", fontSize: 22 }}>
          {props.title}
        </Typography.Title>
        {props.extra}
      </div>
      {props.error ? (
        <Alert type="error" showIcon title="出错了" description={errorText(props.error)} />
      ) : props.loading ? (
        <div role="status" style={{ padding: 48, textAlign: "center" }}>
          <Spin size="large" />
          <div style={{ marginTop: 8 }}>加载中…</div>
        </div>
      ) : props.empty ? (
        <Empty description={props.emptyText ?? "暂无数据"} />
      ) : (
        props.children
      )}
    </div>
  );
}

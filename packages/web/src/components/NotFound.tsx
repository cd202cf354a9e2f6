/** Unknown addresses: a Chinese 404 page with a way home, instead of a silent redirect. */
import { Result } from "antd";
import { Link, useLocation } from "react-router";
import { Page } from "./Page";

export default function NotFound() {
  const { pathname } = useLocation();
  return (
    <Page title="未找到页面">
      <Result
        status="404"
        title="404"
        subTitle={
          <span style={{ color: "rgba(0, 0, 0, 0.68)", wordBreak: "break-all" }}>
            没有这个页面：{pathname}。地址可能输错了，或页面已经移动。
          </span>
        }
        extra={
          <Link to="/" style={{ fontSize: 16, textDecoration: "underline" }}>
            返回首页
          </Link>
        }
      />
    </Page>
  );
}

/** The platform's name in the header and menu, and the page frame before sign-in (登录、企业注册). */
import type { CSSProperties, ReactNode } from "react";

export function Brand({ style }: { style?: CSSProperties }) {
  return (
    <span
      style={{
        fontWeight: 700,
        fontSize: 18,
        color: "#c8102e",
        whiteSpace: "nowrap",
        lineHeight: "48px",
        ...style,
      }}
    >
      惠企 · 重庆
    </span>
  );
}

/**
 * Sign-in and sign-up: a slim header and the form. Plain elements rather than antd's Layout, and none of the
 * signed-in shell: the first page loads as little as it can.
 */
export function PublicLayout({ children }: { children: ReactNode }) {
  return (
    <div style={{ minHeight: "100vh", background: "#f5f5f5" }}>
      <header className="hq-header">
        <Brand />
      </header>
      <main className="hq-content">{children}</main>
    </div>
  );
}

/**
 * A card-like box for the sign-in form. antd's Card brings Tabs, Dropdown and Menu along (its tab list), about
 * 30 KB gzipped that the first page does not need.
 */
export function Panel({ children, style }: { children: ReactNode; style?: CSSProperties }) {
  return (
    <div
      style={{
        background: "#fff",
        border: "1px solid #f0f0f0",
        borderRadius: 8,
        padding: 24,
        ...style,
      }}
    >
      {children}
    </div>
  );
}

/** Routes and the shell: a role-based menu, the policy-year (as-of) picker, the account menu. */
import { useQueryClient } from "@tanstack/react-query";
import { Button, DatePicker, Layout, Menu, Space, Spin, Typography } from "antd";
import dayjs from "dayjs";
import { lazy, type ReactNode, Suspense, useState } from "react";
import { Link, Navigate, Route, Routes, useLocation, useNavigate } from "react-router";
import { api } from "./api/client";
import Login from "./pages/Login";
import Register from "./pages/Register";
import { ROLE_LABELS, useSession } from "./session";

const Calculator = lazy(() => import("./pages/enterprise/Calculator"));
const Profile = lazy(() => import("./pages/enterprise/Profile"));
const MeasureDetail = lazy(() => import("./pages/enterprise/MeasureDetail"));
const Applications = lazy(() => import("./pages/enterprise/Applications"));
const ApplicationDetail = lazy(() => import("./pages/enterprise/ApplicationDetail"));
const Notifications = lazy(() => import("./pages/enterprise/Notifications"));
const Library = lazy(() => import("./pages/library/Library"));
const DocumentView = lazy(() => import("./pages/library/DocumentView"));
const ReviewQueue = lazy(() => import("./pages/officer/ReviewQueue"));
const ReviewDetail = lazy(() => import("./pages/officer/ReviewDetail"));
const Disbursements = lazy(() => import("./pages/finance/Disbursements"));
const Dashboard = lazy(() => import("./pages/coordinator/Dashboard"));
const Policies = lazy(() => import("./pages/admin/Policies"));

interface NavItem {
  key: string;
  label: string;
  roles: string[];
}

export const NAV: NavItem[] = [
  { key: "/calculator", label: "政策计算器", roles: ["enterprise"] },
  { key: "/profile", label: "企业画像", roles: ["enterprise"] },
  { key: "/applications", label: "我的申报", roles: ["enterprise"] },
  { key: "/notifications", label: "消息通知", roles: ["enterprise"] },
  { key: "/review", label: "待审申报", roles: ["officer", "finance"] },
  { key: "/finance", label: "兑付管理", roles: ["finance"] },
  { key: "/dashboard", label: "季度报告", roles: ["coordinator", "policyAdmin"] },
  { key: "/admin/policies", label: "政策管理", roles: ["policyAdmin"] },
  {
    key: "/library",
    label: "政策库",
    roles: ["enterprise", "officer", "finance", "coordinator", "policyAdmin"],
  },
];

export const HOME: Record<string, string> = {
  enterprise: "/calculator",
  officer: "/review",
  finance: "/review",
  coordinator: "/dashboard",
  policyAdmin: "/admin/policies",
};

function Shell({ children }: { children: ReactNode }) {
  const { me, asOf, setAsOf, refresh } = useSession();
  const qc = useQueryClient();
  const loc = useLocation();
  const nav = useNavigate();
  const [collapsed, setCollapsed] = useState(false);
  const items = NAV.filter((n) => me && n.roles.includes(me.actor.role)).map((n) => ({
    key: n.key,
    label: <Link to={n.key}>{n.label}</Link>,
  }));
  const selected = NAV.find((n) => loc.pathname.startsWith(n.key))?.key ?? "";
  return (
    <Layout style={{ minHeight: "100vh" }}>
      <Layout.Sider
        breakpoint="md"
        collapsedWidth={0}
        collapsed={collapsed}
        onCollapse={setCollapsed}
        theme="light"
      >
        <div style={{ padding: "16px 20px", fontWeight: 700, fontSize: 18, color: "#c8102e" }}>
          惠企 · 重庆
        </div>
        <nav aria-label="主菜单">
          <Menu
            mode="inline"
            selectedKeys={[selected]}
            items={items}
            onClick={() => window.innerWidth < 768 && setCollapsed(true)}
          />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: "#fff",
            padding: "0 16px",
            display: "flex",
            justifyContent: "flex-end",
            gap: 12,
            flexWrap: "wrap",
            height: "auto",
            lineHeight: "48px",
          }}
        >
          <Space wrap>
            <span>政策年度（测算日）</span>
            <DatePicker
              aria-label="测算日"
              allowClear={false}
              value={dayjs(asOf)}
              onChange={(d) => d && setAsOf(d.format("YYYY-MM-DD"))}
            />
            {me && (
              <Typography.Text>
                {me.actor.displayName}（{ROLE_LABELS[me.actor.role]}）
              </Typography.Text>
            )}
            {me && (
              <Button
                onClick={async () => {
                  await api.POST("/api/auth/logout");
                  // Leave the page first and drop cached data, so nothing re-requests without a session.
                  nav("/login");
                  qc.clear();
                  await refresh();
                }}
              >
                退出
              </Button>
            )}
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 16 }}>
          <Suspense fallback={<Spin aria-label="加载中" />}>{children}</Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

function Protected({ children }: { children: ReactNode }) {
  const { me, loading } = useSession();
  if (loading) return <Spin aria-label="加载中" />;
  if (!me) return <Navigate to="/login" replace />;
  return <>{children}</>;
}

export default function App() {
  const { me } = useSession();
  const guard = (el: ReactNode) => <Protected>{el}</Protected>;
  return (
    <Shell>
      <Routes>
        <Route path="/login" element={<Login />} />
        <Route path="/register" element={<Register />} />
        <Route
          path="/"
          element={
            me ? (
              <Navigate to={HOME[me.actor.role] ?? "/library"} replace />
            ) : (
              <Navigate to="/login" replace />
            )
          }
        />
        <Route path="/calculator" element={guard(<Calculator />)} />
        <Route path="/profile" element={guard(<Profile />)} />
        <Route path="/measures/:doc/:item" element={guard(<MeasureDetail />)} />
        <Route path="/applications" element={guard(<Applications />)} />
        <Route path="/applications/:id" element={guard(<ApplicationDetail />)} />
        <Route path="/notifications" element={guard(<Notifications />)} />
        <Route path="/library" element={guard(<Library />)} />
        <Route path="/documents/:id" element={guard(<DocumentView />)} />
        <Route path="/review" element={guard(<ReviewQueue />)} />
        <Route path="/review/:id" element={guard(<ReviewDetail />)} />
        <Route path="/finance" element={guard(<Disbursements />)} />
        <Route path="/dashboard" element={guard(<Dashboard />)} />
        <Route path="/admin/policies" element={guard(<Policies />)} />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </Shell>
  );
}

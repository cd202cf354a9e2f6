/**
 * The app after the entry (main.tsx serves 登录 and 企业注册 without it): the public pages for visitors (政策库,
 * 文件, 措施, 免登录政策计算器) in a public frame, and the signed-in area: routes, the role-based
 * menu — a side menu on wide screens, a drawer on phones — the account menu, the policy-date bar on the pages
 * that depend on it, and the 404 page. Every page is its own chunk (React.lazy).
 */
import { MenuOutlined, UserOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import { App as AntApp, Button, Drawer, Dropdown, Layout, Menu, type MenuProps, Spin } from "antd";
import { lazy, type ReactNode, Suspense, useState } from "react";
import { Link, Navigate, Route, Routes, useLocation, useNavigate } from "react-router";
import { api, errorText, ok } from "./api/client";
import { AsOfBar } from "./components/AsOf";
import { Brand } from "./components/Brand";
import { useNarrow } from "./components/useNarrow";
import { NotificationsMenuLabel } from "./pages/enterprise/UnreadBadge";
import { isAsOfPage, ROLE_LABELS, useSession } from "./session";

const Calculator = lazy(() => import("./pages/enterprise/Calculator"));
const Profile = lazy(() => import("./pages/enterprise/Profile"));
const MeasureDetail = lazy(() => import("./pages/enterprise/MeasureDetail"));
const Applications = lazy(() => import("./pages/enterprise/Applications"));
const ApplicationDetail = lazy(() => import("./pages/enterprise/ApplicationDetail"));
const Notifications = lazy(() => import("./pages/enterprise/Notifications"));
const NotificationSettings = lazy(() => import("./pages/enterprise/NotificationSettings"));
const Calendar = lazy(() => import("./pages/enterprise/Calendar"));
const Library = lazy(() => import("./pages/library/Library"));
const DocumentView = lazy(() => import("./pages/library/DocumentView"));
const ReviewQueue = lazy(() => import("./pages/officer/ReviewQueue"));
const ReviewDetail = lazy(() => import("./pages/officer/ReviewDetail"));
const Imports = lazy(() => import("./pages/officer/Imports"));
const ExemptionMeasures = lazy(() => import("./pages/officer/ExemptionMeasures"));
const ExemptionList = lazy(() => import("./pages/officer/ExemptionList"));
const ExemptionFlags = lazy(() => import("./pages/admin/ExemptionFlags"));
const Disbursements = lazy(() => import("./pages/finance/Disbursements"));
const Dashboard = lazy(() => import("./pages/coordinator/Dashboard"));
const AuditLog = lazy(() => import("./pages/coordinator/AuditLog"));
const MatchRuns = lazy(() => import("./pages/coordinator/MatchRuns"));
const Policies = lazy(() => import("./pages/admin/Policies"));
const Documents = lazy(() => import("./pages/admin/Documents"));
const DocumentEditor = lazy(() => import("./pages/admin/editor/Editor"));
const ImportNotice = lazy(() => import("./pages/admin/import/ImportNotice"));
const Services = lazy(() => import("./pages/services/Services"));
const ServiceQueue = lazy(() => import("./pages/services/Queue"));
const ServiceOversight = lazy(() => import("./pages/services/Oversight"));
const MyEnterprises = lazy(() => import("./pages/services/MyEnterprises"));
const Ladder = lazy(() => import("./pages/services/Ladder"));
const Whitelists = lazy(() => import("./pages/services/Whitelists"));
const Standing = lazy(() => import("./pages/services/Standing"));
const NotFound = lazy(() => import("./components/NotFound"));
const PublicCalculator = lazy(() => import("./pages/public/Calculator"));
const PublicMeasure = lazy(() => import("./pages/public/Measure"));

interface NavItem {
  key: string;
  label: string;
  roles: string[];
}

export const NAV: NavItem[] = [
  { key: "/calculator", label: "政策计算器", roles: ["enterprise"] },
  { key: "/profile", label: "企业画像", roles: ["enterprise"] },
  { key: "/applications", label: "我的申报", roles: ["enterprise"] },
  { key: "/calendar", label: "申报日历", roles: ["enterprise"] },
  { key: "/notifications", label: "消息通知", roles: ["enterprise"] },
  { key: "/services", label: "企业吹哨", roles: ["enterprise"] },
  { key: "/services/standing", label: "梯度与白名单", roles: ["enterprise"] },
  { key: "/review", label: "待审申报", roles: ["officer", "finance"] },
  { key: "/services/queue", label: "诉求办理", roles: ["officer"] },
  { key: "/services/my-enterprises", label: "我的企业", roles: ["officer"] },
  { key: "/imports", label: "数据导入", roles: ["officer", "coordinator"] },
  { key: "/exemption", label: "免申即享", roles: ["officer"] },
  { key: "/finance", label: "兑付管理", roles: ["finance"] },
  { key: "/services/oversight", label: "诉求督办", roles: ["coordinator"] },
  { key: "/services/ladder", label: "梯度培育", roles: ["officer", "coordinator", "policyAdmin"] },
  { key: "/services/whitelists", label: "白名单", roles: ["officer", "coordinator", "policyAdmin"] },
  { key: "/dashboard", label: "季度报告", roles: ["coordinator", "policyAdmin"] },
  { key: "/audit", label: "审计日志", roles: ["coordinator", "policyAdmin"] },
  { key: "/match-runs", label: "批量匹配", roles: ["coordinator", "policyAdmin"] },
  { key: "/admin/policies", label: "政策管理", roles: ["policyAdmin"] },
  { key: "/admin/documents", label: "政策文件版本", roles: ["policyAdmin"] },
  { key: "/admin/exemption", label: "免申即享措施", roles: ["policyAdmin"] },
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

const loading = (
  <div role="status" aria-label="加载中" style={{ padding: 48, textAlign: "center" }}>
    <Spin />
  </div>
);

/** The account menu (top right): who is signed in, signing out, and signing out on every device. */
function AccountMenu({ compact }: { compact: boolean }) {
  const { me, refresh } = useSession();
  const qc = useQueryClient();
  const nav = useNavigate();
  const { modal, message } = AntApp.useApp();
  if (!me) return null;
  const who = `${me.actor.displayName}（${ROLE_LABELS[me.actor.role] ?? me.actor.role}）`;
  const logout = async () => {
    await api.POST("/api/auth/logout");
    // Leave the page first and drop cached data, so nothing re-requests without a session.
    nav("/login");
    qc.clear();
    await refresh();
  };
  // Irreversible for every other browser: say what happens and ask first.
  const logoutEverywhere = () =>
    modal.confirm({
      title: "退出所有设备？",
      content:
        "将结束本账户在所有浏览器和设备上的登录（包括这台设备），各处都需要重新输入用户名和密码登录，尚未保存的填写内容会丢失。怀疑密码泄露或在公共电脑上忘记退出时使用。",
      okText: "退出所有设备",
      okButtonProps: { danger: true },
      cancelText: "取消",
      onOk: async () => {
        try {
          const { revoked } = await ok(api.POST("/api/auth/logout-all"));
          nav("/login");
          qc.clear();
          await refresh();
          void message.success(`已退出所有设备（结束 ${revoked} 个登录）`);
        } catch (e) {
          void message.error(errorText(e));
        }
      },
    });
  const items: MenuProps["items"] = [
    { key: "who", type: "group", label: who },
    { type: "divider" },
    { key: "logout", label: "退出登录", onClick: () => void logout() },
    { key: "logout-all", label: "退出所有设备…", danger: true, onClick: logoutEverywhere },
  ];
  return (
    <Dropdown menu={{ items }} trigger={["click"]} placement="bottomRight">
      <Button type="text" icon={<UserOutlined />} aria-label={compact ? `账户：${who}` : undefined}>
        {compact ? null : <span className="hq-account-name">{who}</span>}
      </Button>
    </Dropdown>
  );
}

/** The policy date of the calculator and measure pages, kept in ?asOf=. */
function SessionAsOfBar() {
  const { asOf, setAsOf } = useSession();
  return <AsOfBar value={asOf} onChange={(d) => setAsOf(d)} />;
}

/**
 * The frame for visitors without an account (政策库, 文件, 措施, 免登录政策计算器): the brand, the two public
 * pages and 登录 / 注册; no menu, no account.
 */
function PublicShell({ children }: { children: ReactNode }) {
  const loc = useLocation();
  const current = (path: string) => (loc.pathname.startsWith(path) ? "page" : undefined);
  return (
    <Layout style={{ minHeight: "100vh" }}>
      <Layout.Header className="hq-header">
        <Link to="/library" aria-label="惠企 · 重庆 首页">
          <Brand />
        </Link>
        <nav aria-label="公开页面" style={{ display: "flex", gap: 12, whiteSpace: "nowrap", marginLeft: 4 }}>
          <Link to="/library" aria-current={current("/library")}>
            政策库
          </Link>
          <Link to="/calculator" aria-current={current("/calculator")}>
            计算器
          </Link>
        </nav>
        <div style={{ flex: 1 }} />
        <Link to="/login" style={{ padding: "0 4px", whiteSpace: "nowrap" }}>
          登录
        </Link>
        <Link
          to="/register"
          style={{
            whiteSpace: "nowrap",
            color: "#fff",
            background: "#c8102e",
            borderRadius: 6,
            padding: "0 10px",
            lineHeight: "28px",
          }}
        >
          注册
        </Link>
      </Layout.Header>
      <Layout.Content className="hq-content">
        <Suspense fallback={loading}>{children}</Suspense>
      </Layout.Content>
    </Layout>
  );
}

function Shell({ children }: { children: ReactNode }) {
  const { me, loading: loadingMe } = useSession();
  if (!me && !loadingMe) return <PublicShell>{children}</PublicShell>;
  return <SignedInShell>{children}</SignedInShell>;
}

function SignedInShell({ children }: { children: ReactNode }) {
  const { me } = useSession();
  const loc = useLocation();
  const narrow = useNarrow();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const items = NAV.filter((n) => me && n.roles.includes(me.actor.role)).map((n) => ({
    key: n.key,
    label: (
      <Link to={n.key}>
        {n.key === "/notifications" ? <NotificationsMenuLabel label={n.label} /> : n.label}
      </Link>
    ),
  }));
  const selected = NAV.find((n) => loc.pathname.startsWith(n.key))?.key ?? "";
  const hasMenu = items.length > 0;
  const menu = (
    <nav aria-label="主菜单">
      <Menu
        mode="inline"
        selectedKeys={[selected]}
        items={items}
        onClick={() => setDrawerOpen(false)}
        style={{ borderInlineEnd: 0 }}
      />
    </nav>
  );
  return (
    <Layout style={{ minHeight: "100vh" }}>
      {hasMenu && !narrow && (
        <Layout.Sider width={200} theme="light" style={{ borderInlineEnd: "1px solid #f0f0f0" }}>
          <Brand style={{ display: "block", padding: "0 20px" }} />
          {menu}
        </Layout.Sider>
      )}
      <Layout style={{ minWidth: 0 }}>
        <Layout.Header className="hq-header">
          {hasMenu && narrow && (
            <Button
              type="text"
              icon={<MenuOutlined />}
              aria-label="打开菜单"
              aria-haspopup="dialog"
              aria-expanded={drawerOpen}
              onClick={() => setDrawerOpen(true)}
            />
          )}
          {(narrow || !hasMenu) && <Brand />}
          <div style={{ flex: 1 }} />
          <AccountMenu compact={narrow} />
        </Layout.Header>
        <Layout.Content className="hq-content">
          {me && isAsOfPage(loc.pathname) && <SessionAsOfBar />}
          <Suspense fallback={loading}>{children}</Suspense>
        </Layout.Content>
      </Layout>
      {hasMenu && narrow && (
        <Drawer
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          placement="left"
          size={264}
          title="惠企 · 重庆"
          styles={{ body: { padding: 0 } }}
        >
          {menu}
        </Drawer>
      )}
    </Layout>
  );
}

function Protected({ children }: { children: ReactNode }) {
  const { me, loading: loadingMe } = useSession();
  if (loadingMe) return loading;
  if (!me) return <Navigate to="/login" replace />;
  return <>{children}</>;
}

export default function App() {
  const { me, loading: loadingMe } = useSession();
  const guard = (el: ReactNode) => <Protected>{el}</Protected>;
  /** Public pages: anyone, signed in or not (they wait for the session only to pick the frame). */
  const open = (el: ReactNode) => (loadingMe ? loading : el);
  /** Signed-in users keep their page; visitors get the public one. */
  const either = (signedIn: ReactNode, visitor: ReactNode) => (loadingMe ? loading : me ? signedIn : visitor);
  return (
    <Shell>
      <Routes>
        <Route
          path="/"
          element={
            loadingMe ? (
              loading
            ) : me ? (
              <Navigate to={HOME[me.actor.role] ?? "/library"} replace />
            ) : (
              <Navigate to="/login" replace />
            )
          }
        />
        <Route path="/calculator" element={either(<Calculator />, <PublicCalculator />)} />
        <Route path="/profile" element={guard(<Profile />)} />
        <Route path="/measures/:doc/:item" element={either(<MeasureDetail />, <PublicMeasure />)} />
        <Route path="/applications" element={guard(<Applications />)} />
        <Route path="/applications/:id" element={guard(<ApplicationDetail />)} />
        <Route path="/notifications" element={guard(<Notifications />)} />
        <Route path="/notifications/settings" element={guard(<NotificationSettings />)} />
        <Route path="/calendar" element={guard(<Calendar />)} />
        <Route path="/services" element={guard(<Services />)} />
        <Route path="/services/queue" element={guard(<ServiceQueue />)} />
        <Route path="/services/oversight" element={guard(<ServiceOversight />)} />
        <Route path="/services/my-enterprises" element={guard(<MyEnterprises />)} />
        <Route path="/services/ladder" element={guard(<Ladder />)} />
        <Route path="/services/whitelists" element={guard(<Whitelists />)} />
        <Route path="/services/standing" element={guard(<Standing />)} />
        <Route path="/library" element={open(<Library />)} />
        <Route path="/documents/:id" element={open(<DocumentView />)} />
        <Route path="/review" element={guard(<ReviewQueue />)} />
        <Route path="/review/:id" element={guard(<ReviewDetail />)} />
        <Route path="/imports" element={guard(<Imports />)} />
        <Route path="/exemption" element={guard(<ExemptionMeasures />)} />
        <Route path="/exemption/:doc/:item" element={guard(<ExemptionList />)} />
        <Route path="/admin/exemption" element={guard(<ExemptionFlags />)} />
        <Route path="/finance" element={guard(<Disbursements />)} />
        <Route path="/dashboard" element={guard(<Dashboard />)} />
        <Route path="/audit" element={guard(<AuditLog />)} />
        <Route path="/match-runs" element={guard(<MatchRuns />)} />
        <Route path="/admin/policies" element={guard(<Policies />)} />
        <Route path="/admin/documents" element={guard(<Documents />)} />
        <Route path="/admin/documents/:documentId/edit/:revision" element={guard(<DocumentEditor />)} />
        <Route path="/admin/documents/new" element={guard(<ImportNotice />)} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </Shell>
  );
}

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { App as AntApp, ConfigProvider } from "antd";
import zhCN from "antd/locale/zh_CN";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import { lazy, StrictMode, Suspense } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter, Route, Routes } from "react-router";
import { PublicLayout } from "./components/Brand";
import Login from "./pages/Login";
import "./styles.css";
import { SessionProvider } from "./session";

// First load is the sign-in page: it alone is in the entry; the signed-in shell (App: menu, drawer, routes,
// policy-date picker) and every page load on demand.
const App = lazy(() => import("./App"));
const Register = lazy(() => import("./pages/Register"));
const waiting = <div style={{ minHeight: "100vh" }} aria-busy="true" />;

dayjs.locale("zh-cn");
const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, staleTime: 10_000 } } });

const root = document.getElementById("root");
if (!root) throw new Error("#root missing");
createRoot(root).render(
  <StrictMode>
    <ConfigProvider
      locale={zhCN}
      theme={{
        // Darker secondary text than antd's defaults: WCAG AA contrast for labels and descriptions.
        token: {
          colorPrimary: "#c8102e",
          colorTextSecondary: "rgba(0, 0, 0, 0.68)",
          colorTextTertiary: "rgba(0, 0, 0, 0.62)",
          colorTextDescription: "rgba(0, 0, 0, 0.62)",
          colorTextPlaceholder: "rgba(0, 0, 0, 0.55)",
          colorLink: "#0b57b0",
          // antd's hover and active link colours fall below 4.5:1 on white.
          colorLinkHover: "#08468f",
          colorLinkActive: "#063a77",
        },
      }}
    >
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <SessionProvider>
              <Routes>
                <Route
                  path="/login"
                  element={
                    <PublicLayout>
                      <Login />
                    </PublicLayout>
                  }
                />
                <Route
                  path="/register"
                  element={
                    <PublicLayout>
                      <Suspense fallback={null}>
                        <Register />
                      </Suspense>
                    </PublicLayout>
                  }
                />
                <Route
                  path="*"
                  element={
                    <Suspense fallback={waiting}>
                      <App />
                    </Suspense>
                  }
                />
              </Routes>
            </SessionProvider>
          </BrowserRouter>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  </StrictMode>,
);

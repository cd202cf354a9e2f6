import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { App as AntApp, ConfigProvider } from "antd";
import zhCN from "antd/locale/zh_CN";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router";
import App from "./App";
import "./styles.css";
import { SessionProvider } from "./session";

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
        },
      }}
    >
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <SessionProvider>
              <App />
            </SessionProvider>
          </BrowserRouter>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  </StrictMode>,
);

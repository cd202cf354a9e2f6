/**
 * Colour tokens with WCAG AA contrast for the content of a page: antd's default link blue (#1677ff), secondary
 * text (45% black) and placeholders (25% black) fail axe's colour-contrast rule on white. (Setting these in the
 * root ConfigProvider theme would fix every page; this wrapper fixes the pages that use it.)
 */
import { ConfigProvider } from "antd";
import type { ReactNode } from "react";

export const ACCESSIBLE_TOKENS = {
  colorLink: "#0958d9",
  colorLinkHover: "#1677ff",
  colorTextSecondary: "rgba(0, 0, 0, 0.65)",
  colorTextDescription: "rgba(0, 0, 0, 0.65)",
  colorTextPlaceholder: "rgba(0, 0, 0, 0.6)",
  colorTextTertiary: "rgba(0, 0, 0, 0.6)",
};

const CSS = `
.hq-accessible a:not(.ant-btn):not(.ant-pagination-item-link) { color: ${ACCESSIBLE_TOKENS.colorLink}; }
.hq-accessible a:not(.ant-btn):not(.ant-pagination-item-link):hover { color: ${ACCESSIBLE_TOKENS.colorLinkHover}; }
.hq-accessible .ant-select-placeholder, .hq-accessible input::placeholder { color: ${ACCESSIBLE_TOKENS.colorTextPlaceholder}; }
`;

export function Accessible({ children }: { children: ReactNode }) {
  return (
    <ConfigProvider theme={{ token: ACCESSIBLE_TOKENS }} button={{ autoInsertSpace: false }}>
      <style>{CSS}</style>
      <div className="hq-accessible">{children}</div>
    </ConfigProvider>
  );
}

import { Page } from "../../components/Page";

export default function DocumentView() {
  return <Page title="政策文件" empty emptyText="建设中" />;
}

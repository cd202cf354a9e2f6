import { Page } from "../../components/Page";

export default function Policies() {
  return <Page title="政策管理" empty emptyText="建设中" />;
}

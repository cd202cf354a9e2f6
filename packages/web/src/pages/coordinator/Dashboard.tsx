import { Page } from "../../components/Page";

export default function Dashboard() {
  return <Page title="季度报告" empty emptyText="建设中" />;
}

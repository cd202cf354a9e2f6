import { Page } from "../../components/Page";

export default function Calculator() {
  return <Page title="政策计算器" empty emptyText="建设中" />;
}

import { Page } from "../../components/Page";

export default function MeasureDetail() {
  return <Page title="措施详情" empty emptyText="建设中" />;
}

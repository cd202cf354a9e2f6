import { Page } from "../../components/Page";

export default function ApplicationDetail() {
  return <Page title="申报详情" empty emptyText="建设中" />;
}

import { Page } from "../../components/Page";

export default function ReviewDetail() {
  return <Page title="审核申报" empty emptyText="建设中" />;
}

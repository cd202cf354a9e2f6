import { Page } from "../../components/Page";

export default function ReviewQueue() {
  return <Page title="待审申报" empty emptyText="建设中" />;
}

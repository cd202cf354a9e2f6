import { Page } from "../../components/Page";

export default function Library() {
  return <Page title="政策库" empty emptyText="建设中" />;
}

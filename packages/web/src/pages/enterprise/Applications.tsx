import { Page } from "../../components/Page";

export default function Applications() {
  return <Page title="我的申报" empty emptyText="建设中" />;
}

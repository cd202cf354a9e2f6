import { Page } from "../../components/Page";

export default function Disbursements() {
  return <Page title="兑付管理" empty emptyText="建设中" />;
}

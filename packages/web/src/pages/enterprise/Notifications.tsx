import { Page } from "../../components/Page";

export default function Notifications() {
  return <Page title="消息通知" empty emptyText="建设中" />;
}

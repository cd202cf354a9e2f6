import { Page } from "../../components/Page";

export default function Profile() {
  return <Page title="企业画像" empty emptyText="建设中" />;
}

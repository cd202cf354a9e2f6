/** "编辑" on a draft or published revision in 政策文件版本: opens the policy editor on it (a small button, no editor code). */
import { Button } from "antd";
import { useNavigate } from "react-router";

export function EditLink({
  documentId,
  revision,
  state,
}: {
  documentId: string;
  revision: number;
  state: string;
}) {
  const navigate = useNavigate();
  if (state !== "draft" && state !== "published") return null;
  return (
    <Button
      size="small"
      aria-label={`编辑第 ${revision} 版`}
      onClick={() => navigate(`/admin/documents/${documentId}/edit/${revision}`)}
    >
      编辑
    </Button>
  );
}

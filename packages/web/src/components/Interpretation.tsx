/** A measure's 解读 (who, what, deadline, materials, how to apply) as a bordered one-column table. */
import { Descriptions, type DescriptionsProps } from "antd";
import type { MeasureData } from "./policy";

export function Interpretation({ i, title }: { i: MeasureData["interpretation"]; title?: string }) {
  const items: DescriptionsProps["items"] = [
    { key: "who", label: "适用对象", children: i.who },
    { key: "what", label: "支持内容", children: i.what },
  ];
  if (i.deadline) items.push({ key: "deadline", label: "期限", children: i.deadline });
  if (i.materials && i.materials.length > 0)
    items.push({
      key: "materials",
      label: i.materialsFromDocument === false ? "常见材料（文件未列明）" : "申报材料",
      children: (
        <ol style={{ margin: 0, paddingLeft: 20 }}>
          {i.materials.map((x) => (
            <li key={x}>{x}</li>
          ))}
        </ol>
      ),
    });
  if (i.howToApply) items.push({ key: "howToApply", label: "申报方式", children: i.howToApply });
  return <Descriptions size="small" column={1} bordered title={title} items={items} />;
}

/**
 * The policy date (测算日) picker and, when the date is not today, a banner that says so and leads back.
 * Shown only where results depend on the date: 政策计算器, 措施详情 (by the shell) and the officer's 审核申报.
 */
import { Alert, Button, DatePicker } from "antd";
import dayjs from "dayjs";
import { today } from "../dates";
import { useNarrow } from "./useNarrow";

export function AsOfBar(props: {
  value: string;
  onChange: (d: string) => void;
  /** Why the page shows this date by default, e.g. "申报时测算日" (the banner says it). */
  defaultNote?: string | undefined;
  /** The date the page shows without ?asOf= (today unless given). */
  defaultDate?: string | undefined;
  /** What the date means on this page (the banner's second line). */
  description?: string | undefined;
}) {
  const t = today();
  const narrow = useNarrow();
  const { value, onChange } = props;
  const label = value < t ? "历史测算" : "未来日期测算";
  const note = props.defaultDate === value && props.defaultNote ? `${props.defaultNote}，${label}` : label;
  return (
    <div style={{ marginBottom: 12 }}>
      <div style={{ display: "flex", alignItems: "center", gap: 8, flexWrap: "wrap" }}>
        <label htmlFor="as-of-date">政策测算日</label>
        <DatePicker
          id="as-of-date"
          allowClear={false}
          inputReadOnly={narrow}
          value={dayjs(value)}
          onChange={(d) => d && onChange(d.format("YYYY-MM-DD"))}
          style={{ width: 150 }}
        />
        {value === t && <span style={{ color: "rgba(0, 0, 0, 0.68)" }}>今天</span>}
      </div>
      {value !== t && (
        <Alert
          type="warning"
          showIcon
          style={{ marginTop: 8 }}
          title={`正在查看 ${value} 的政策（${note}）`}
          description={
            props.description ??
            `结果按 ${value} 当天有效的政策和企业现有画像计算，用于了解当时的情况；在线申报一律按今天（${t}）的政策办理。`
          }
          action={
            <Button size="small" onClick={() => onChange(t)}>
              回到今天
            </Button>
          }
        />
      )}
    </div>
  );
}

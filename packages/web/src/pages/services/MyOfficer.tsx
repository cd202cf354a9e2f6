/**
 * 我的服务专员 (enterprise): the officer the district assigned to the enterprise — name, department, office
 * phone (a tel: link) and since when — with the measures the service comes from, quoted.
 */
import { useQuery } from "@tanstack/react-query";
import { Card, Descriptions, Typography } from "antd";
import { api, ok } from "../../api/client";
import { MUTED } from "../../components/ApplicationTags";
import { dateOf } from "../../dates";

export function MyOfficer() {
  const q = useQuery({
    queryKey: ["service-officer", "mine"],
    queryFn: () => ok(api.GET("/api/service-officer/mine")),
  });
  if (!q.data) return null;
  const { assignment, basis } = q.data;
  return (
    <Card
      size="small"
      title={<h2 style={{ margin: 0, fontSize: 16 }}>我的服务专员</h2>}
      style={{ marginBottom: 16 }}
    >
      {assignment ? (
        <>
          <Descriptions
            size="small"
            column={1}
            items={[
              { key: "name", label: "服务专员", children: assignment.officer.name },
              { key: "department", label: "所在部门", children: assignment.officer.departmentName },
              {
                key: "phone",
                label: "办公电话",
                children: assignment.officer.phone ? (
                  <a href={`tel:${assignment.officer.phone.replace(/[^\d+]/g, "")}`}>
                    {assignment.officer.phone}
                  </a>
                ) : (
                  "暂未登记"
                ),
              },
              { key: "since", label: "指定日期", children: dateOf(assignment.since) },
            ]}
          />
          <Typography.Paragraph style={{ margin: "8px 0 0" }}>
            您提出的诉求会先交给服务专员，由专员在报到时限内受理。
          </Typography.Paragraph>
        </>
      ) : (
        <Typography.Paragraph style={{ margin: 0 }}>
          区里还没有为本企业指定服务专员，诉求按类别交负责部门办理。
        </Typography.Paragraph>
      )}
      {basis.map((b) => (
        <Typography.Paragraph key={b.measureId} style={{ margin: "8px 0 0", color: MUTED }}>
          依据{b.docNumber}第{b.ordinal}条：“{b.quote}”
        </Typography.Paragraph>
      ))}
    </Card>
  );
}

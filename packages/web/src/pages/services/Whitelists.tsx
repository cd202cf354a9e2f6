/**
 * 白名单 (officers read; coordinators keep their district's lists, policy admins the city's): the lists with kind,
 * area, validity and member count; a list's enterprises; adding enterprises by credit code or from a .csv/.xlsx
 * file with a “统一社会信用代码” column, each problem row listed; removing one. Membership becomes the
 * enterprise's “所在白名单” fact, which the matching reads.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import {
  App,
  Button,
  Card,
  DatePicker,
  Drawer,
  Form,
  Input,
  List,
  Modal,
  Select,
  Space,
  Typography,
} from "antd";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { api, errorText, ok } from "../../api/client";
import type { paths } from "../../api/schema";
import { MUTED, SafeTag } from "../../components/ApplicationTags";
import { Page } from "../../components/Page";
import { useSession } from "../../session";

type ListView =
  paths["/api/whitelists"]["get"]["responses"][200]["content"]["application/json"]["lists"][number];
type AddResult =
  paths["/api/whitelists/{id}/members"]["post"]["responses"][200]["content"]["application/json"];

const KINDS = [
  { value: "cityOperation", label: "城市运行保障企业" },
  { value: "supplyChainKey", label: "产业链供应链重点企业" },
  { value: "epidemicSupplies", label: "防疫物资生产企业" },
  { value: "continuousProduction", label: "连续生产企业" },
  { value: "srdiFinancing", label: "“专精特新”企业融资支持白名单" },
] as const;

const STATUS_COLOR: Record<string, string> = { active: "green", pending: "blue", expired: "default" };

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ""));
    r.onerror = () => reject(new Error("读取文件失败，请重新选择"));
    r.readAsDataURL(file);
  });
}

function AddReport({ r }: { r: AddResult | null }) {
  if (!r) return null;
  return (
    <div role="status" style={{ marginTop: 8 }}>
      <Typography.Text>{r.summary}</Typography.Text>
      {r.problems.length > 0 && (
        <ul style={{ margin: "4px 0 0", paddingLeft: 20 }}>
          {r.problems.map((p) => (
            <li key={`${p.row ?? ""}-${p.uscc}`}>
              {p.row !== null ? `第 ${p.row} 行 ` : ""}
              {p.uscc}：{p.reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Members({ list, onClose }: { list: ListView | null; onClose: () => void }) {
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [codes, setCodes] = useState("");
  const [report, setReport] = useState<AddResult | null>(null);
  const [busy, setBusy] = useState(false);
  const id = list?.id ?? "";
  const detail = useQuery({
    queryKey: ["whitelists", id],
    enabled: !!list,
    queryFn: () => ok(api.GET("/api/whitelists/{id}", { params: { path: { id } } })),
  });
  const refresh = async () => {
    await qc.invalidateQueries({ queryKey: ["whitelists"] });
  };
  const add = async () => {
    const usccs = codes
      .split(/[\s,，、;；]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    if (usccs.length === 0) {
      void message.error("请填写统一社会信用代码，每行一个");
      return;
    }
    setBusy(true);
    try {
      setReport(
        await ok(api.POST("/api/whitelists/{id}/members", { params: { path: { id } }, body: { usccs } })),
      );
      setCodes("");
      await refresh();
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const upload = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    try {
      const contentBase64 = await readBase64(file);
      setReport(
        await ok(
          api.POST("/api/whitelists/{id}/import", {
            params: { path: { id } },
            body: { fileName: file.name, contentBase64 },
          }),
        ),
      );
      await refresh();
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const remove = async (enterpriseId: string, name: string) => {
    try {
      await ok(
        api.DELETE("/api/whitelists/{id}/members/{enterpriseId}", { params: { path: { id, enterpriseId } } }),
      );
      void message.success(`已将${name}移出名单`);
      await refresh();
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  const members = detail.data?.members ?? [];
  return (
    <Drawer open={!!list} onClose={onClose} title={list?.name} size="large">
      {list?.canManage && (
        <Card
          size="small"
          title={<h2 style={{ margin: 0, fontSize: 16 }}>加入企业</h2>}
          style={{ marginBottom: 16 }}
        >
          <Form layout="vertical">
            <Form.Item label="统一社会信用代码（每行一个）" htmlFor="whitelist-codes">
              <Input.TextArea
                id="whitelist-codes"
                rows={3}
                value={codes}
                onChange={(e) => setCodes(e.target.value)}
              />
            </Form.Item>
            <Space wrap>
              <Button type="primary" onClick={add} loading={busy}>
                加入名单
              </Button>
              <label>
                <span style={{ marginRight: 8 }}>或从文件导入（.xlsx／.csv，含“统一社会信用代码”列）</span>
                <input
                  type="file"
                  accept=".csv,.xlsx"
                  aria-label="选择白名单企业文件"
                  onChange={(e) => void upload(e.target.files?.[0])}
                />
              </label>
            </Space>
          </Form>
          <AddReport r={report} />
        </Card>
      )}
      <h2 style={{ fontSize: 16 }}>{`名单内企业（${members.length} 家）`}</h2>
      {!detail.isLoading && members.length === 0 && (
        <Typography.Paragraph>名单里还没有企业。</Typography.Paragraph>
      )}
      <List
        bordered
        loading={detail.isLoading}
        dataSource={members}
        style={members.length === 0 ? { display: "none" } : undefined}
        renderItem={(m) => (
          <List.Item
            key={m.enterpriseId}
            actions={
              list?.canManage
                ? [
                    <Button
                      key="remove"
                      size="small"
                      style={{ color: "#a8071a", borderColor: "#ffa39e" }}
                      onClick={() => void remove(m.enterpriseId, m.name)}
                    >
                      移出
                    </Button>,
                  ]
                : []
            }
          >
            <div>
              <div>{m.name}</div>
              <div style={{ color: MUTED }}>
                {m.uscc} · {m.regionName}
                {m.sourceFile ? ` · 来自${m.sourceFile}第 ${m.sourceRow ?? "?"} 行` : ""}
              </div>
            </div>
          </List.Item>
        )}
      />
    </Drawer>
  );
}

interface CreateValues {
  name: string;
  kind: (typeof KINDS)[number]["value"];
  from: Dayjs;
  until?: Dayjs | null;
  basis?: string;
}

function CreateModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<CreateValues>();
  const [busy, setBusy] = useState(false);
  const submit = async (v: CreateValues) => {
    setBusy(true);
    try {
      await ok(
        api.POST("/api/whitelists", {
          body: {
            name: v.name,
            kind: v.kind,
            validFrom: v.from.format("YYYY-MM-DD"),
            validUntil: v.until ? v.until.format("YYYY-MM-DD") : null,
            basis: v.basis || null,
          },
        }),
      );
      void message.success("白名单已建立");
      form.resetFields();
      await qc.invalidateQueries({ queryKey: ["whitelists"] });
      onClose();
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title="新建白名单"
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="建立"
      confirmLoading={busy}
    >
      <Form form={form} layout="vertical" onFinish={submit} requiredMark="optional">
        <Form.Item name="name" label="名称" rules={[{ required: true, message: "请填写白名单名称" }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="kind" label="类别" rules={[{ required: true, message: "请选择白名单类别" }]}>
          <Select options={KINDS.map((k) => ({ ...k }))} placeholder="请选择" />
        </Form.Item>
        <Form.Item name="from" label="有效期起始日" rules={[{ required: true, message: "请选择起始日" }]}>
          <DatePicker style={{ width: "100%" }} />
        </Form.Item>
        <Form.Item name="until" label="有效期截止日（不填为长期）">
          <DatePicker style={{ width: "100%" }} />
        </Form.Item>
        <Form.Item name="basis" label="设立依据（文号等）">
          <Input maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function Whitelists() {
  const { me } = useSession();
  const canCreate = me?.actor.role === "coordinator" || me?.actor.role === "policyAdmin";
  const [open, setOpen] = useState<ListView | null>(null);
  const [creating, setCreating] = useState(false);
  const q = useQuery({ queryKey: ["whitelists"], queryFn: () => ok(api.GET("/api/whitelists")) });
  const lists = q.data?.lists ?? [];
  return (
    <Page
      title="白名单"
      loading={q.isLoading}
      error={q.error}
      extra={
        canCreate ? (
          <Button type="primary" onClick={() => setCreating(true)}>
            新建白名单
          </Button>
        ) : null
      }
    >
      {(q.data?.basis ?? []).map((b) => (
        <Typography.Paragraph key={b.measureId} style={{ color: MUTED }}>
          依据{b.docNumber}第{b.ordinal}条：“{b.quote}”
        </Typography.Paragraph>
      ))}
      {lists.length === 0 ? (
        <Typography.Text>还没有白名单。</Typography.Text>
      ) : (
        <Space orientation="vertical" style={{ width: "100%" }}>
          {lists.map((l) => (
            <Card key={l.id} size="small" title={<h2 style={{ margin: 0, fontSize: 16 }}>{l.name}</h2>}>
              <Space wrap>
                <SafeTag color={STATUS_COLOR[l.status]}>{l.statusLabel}</SafeTag>
                <span>{l.kindLabel}</span>
                <span>{l.regionName}</span>
                <span>{`有效期 ${l.validFrom} 至 ${l.validUntil ?? "长期"}`}</span>
                <span>{`${l.members} 家企业`}</span>
              </Space>
              {l.basis && <div style={{ color: MUTED, marginTop: 4 }}>依据：{l.basis}</div>}
              <div style={{ marginTop: 8 }}>
                <Button onClick={() => setOpen(l)} aria-label={`查看${l.name}的企业`}>
                  {l.canManage ? "查看和维护企业" : "查看企业"}
                </Button>
              </div>
            </Card>
          ))}
        </Space>
      )}
      <Members list={open} onClose={() => setOpen(null)} />
      <CreateModal open={creating} onClose={() => setCreating(false)} />
    </Page>
  );
}

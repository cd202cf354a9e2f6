/** The log masks personal data: patterns inside strings, known paths, database errors by code only. */
import pino from "pino";
import { describe, expect, it } from "vitest";
import { isDatabaseError, loggerOptions, logUrl, maskPersonalData, serializeError } from "./logging.ts";

const USCC = "91500113MA5U7K3X2H";
const HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo";

function capture() {
  const lines: string[] = [];
  const logger = pino(loggerOptions({ write: (l: string) => lines.push(l) }), {
    write: (l: string) => lines.push(l),
  });
  return { logger, lines };
}

describe("log masking", () => {
  it("masks credit codes, mobile and landline numbers, argon2 hashes and session cookies in a text", () => {
    const s = maskPersonalData(
      `企业 ${USCC} 联系 13812345678、+86 138-1234-5678、023-66219203，哈希 ${HASH}；cookie huiqi_session=abcDEF123; x=1`,
    );
    expect(s).not.toContain(USCC);
    expect(s).toContain("915001********3X2H");
    expect(s).not.toMatch(/1[3-9]\d{9}/);
    expect(s).not.toContain("1234-5678");
    expect(s).not.toContain("66219203");
    expect(s).not.toContain("$argon2");
    expect(s).not.toContain("abcDEF123");
    // Amounts, years, timestamps and UUIDs stay.
    expect(maskPersonalData("2026 1764627887123 50000000 6080d273-b88c-43e9-a6ab-b8e38d1d4d83")).toBe(
      "2026 1764627887123 50000000 6080d273-b88c-43e9-a6ab-b8e38d1d4d83",
    );
  });

  it("logs URLs with query values hidden unless harmless, and the path masked", () => {
    expect(logUrl(`/api/enterprises?q=${USCC}&page=2`)).toBe("/api/enterprises?q=[已隐藏]&page=2");
    expect(logUrl(`/api/x/${USCC}/13812345678`)).toBe("/api/x/915001********3X2H/138****5678");
    expect(logUrl(`/api/x?${"k=v&".repeat(1000)}`).length).toBeLessThan(1000);
  });

  it("serializes a database error by SQLSTATE and constraint only (PGlite attaches the SQL and parameters)", () => {
    // The shape of a PGlite / node-postgres DatabaseError (fuzz.test.ts checks a real one on both databases).
    const err = Object.assign(new Error(`duplicate key value violates unique constraint "t_name_key"`), {
      severity: "ERROR",
      code: "23505",
      detail: `Key (name)=(${USCC}) already exists.`,
      table: "t",
      constraint: "t_name_key",
      routine: "_bt_check_unique",
      query: "insert into t values (2, $1)",
      params: [USCC],
    });
    expect(isDatabaseError(err)).toBe(true);
    expect(serializeError(err)).toEqual({
      type: "DatabaseError",
      sqlState: "23505",
      constraint: "t_name_key",
    });
    expect(isDatabaseError(Object.assign(new Error("x"), { code: "ECONNREFUSED" }))).toBe(false);
  });

  it("a logged database error without a message is logged as its code; redacted paths never appear", () => {
    const { logger, lines } = capture();
    const err = Object.assign(new Error(`duplicate key: ${USCC} 张三`), {
      code: "23505",
      severity: "ERROR",
      constraint: "enterprises_uscc_key",
      params: [USCC, HASH],
    });
    logger.error(err);
    logger.info(
      { err, password: "huiqi-demo-2026", user: { name: "张三", contactPhone: "13812345678" } },
      "x",
    );
    logger.info({ headers: { cookie: "huiqi_session=secret-token" } }, `登录 ${USCC}`);
    const text = lines.join("");
    for (const bad of [USCC, HASH, "张三", "huiqi-demo-2026", "13812345678", "secret-token", "duplicate key"])
      expect(text).not.toContain(bad);
    expect(text).toContain("数据库错误 23505");
    expect(text).toContain('"sqlState":"23505"');
  });

  it("other errors keep their type and masked message", () => {
    const out = serializeError(new TypeError(`bad ${USCC}`, { cause: new Error("13812345678") }));
    expect(out.type).toBe("TypeError");
    expect(out.message).toBe("bad 915001********3X2H");
    expect(out.cause?.message).toBe("138****5678");
  });
});

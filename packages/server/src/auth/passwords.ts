import { randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as zxcvbnCommon from "@zxcvbn-ts/language-common";

// argon2id (the library's default algorithm) with OWASP's minimum memory/time cost.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export function verifyPassword(stored: string, password: string): Promise<boolean> {
  return verify(stored, password).catch(() => false);
}

let dummyHash: Promise<string> | undefined;

/**
 * A hash of a random password with the same parameters as every account's, made once per process. Logins
 * with an unknown username verify against it, so they take as long as a wrong password for a real account
 * and the response time does not tell whether the username exists.
 */
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(24).toString("base64url"));
  return dummyHash;
}

/** Checks a login: the account's hash, or the dummy hash (always false) when there is no such account. */
export async function verifyLogin(stored: string | undefined, password: string): Promise<boolean> {
  if (stored === undefined) {
    await verifyPassword(await dummyPasswordHash(), password);
    return false;
  }
  return verifyPassword(stored, password);
}

/** zxcvbn's score (0–4, 3 = "safely unguessable: moderate protection from offline slow-hash attacks"). */
export const MIN_PASSWORD_SCORE = 3;

/**
 * Common Chinese pinyin and number passwords missing from zxcvbn's (English-centred) common list, and the
 * platform's own words: the estimator treats them as dictionary words, so "woaini1314" is weak.
 */
const CHINESE_COMMON = [
  "woaini",
  "5201314",
  "1314520",
  "woaini1314",
  "aini1314",
  "iloveyou1314",
  "wodemima",
  "mima",
  "zhongguo",
  "zhonghua",
  "beijing",
  "shanghai",
  "chongqing",
  "huiqi",
  "qiye",
  "gongsi",
  "caiwu",
  "kuaiji",
  "laoban",
  "zhangsan",
  "lisi",
  "wangwu",
  "88888888",
  "66666666",
  "168168",
  "518518",
];

let estimator: ZxcvbnFactory | undefined;
function zxcvbn(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...zxcvbnCommon.dictionary, chineseCommon: CHINESE_COMMON },
    graphs: zxcvbnCommon.adjacencyGraphs,
  });
  return estimator;
}

/** zxcvbn's warning keys (returned as keys: no translation pack is loaded) → Chinese reasons. */
const WARNINGS: Record<string, string> = {
  straightRow: "是键盘上连成一行的按键",
  keyPattern: "是键盘上相邻按键组成的图案",
  simpleRepeat: "含有重复的字符，如 aaa",
  extendedRepeat: "含有重复的片段，如 abcabc",
  sequences: "含有连续的字符，如 abcd、1234",
  recentYears: "主要由近年的年份组成",
  dates: "主要由日期组成",
  topTen: "是最常见的密码之一",
  topHundred: "是非常常见的密码",
  common: "是常见密码",
  similarToCommon: "与常见密码相似",
  wordByItself: "只有一个常用词",
  namesByThemselves: "只有姓名",
  commonNames: "是常见的姓名",
  userInputs: "含有用户名、企业信息或平台名称",
  pwned: "已在公开泄露的密码中出现",
};

export interface PasswordContext {
  username: string;
  /** 统一社会信用代码. */
  uscc?: string | undefined;
  /** The enterprise's or account's name. */
  name?: string | undefined;
}

/**
 * Why a new password is not acceptable, in Chinese (to follow "密码："), or null when it is: it must not be,
 * or contain, the username or the credit code, and zxcvbn must score it at least MIN_PASSWORD_SCORE with the
 * username, credit code, name and the platform's words as known inputs.
 */
export function passwordProblem(password: string, c: PasswordContext): string | null {
  const lower = password.toLowerCase();
  const username = c.username.toLowerCase();
  if (lower === username) return "不能与用户名相同";
  if (username.length >= 3 && lower.includes(username)) return "不能包含用户名";
  if (c.uscc && lower.includes(c.uscc.toLowerCase())) return "不能包含统一社会信用代码";
  const inputs = [c.username, c.uscc, c.name, "huiqi", "chongqing", "惠企", "重庆"].filter((x): x is string =>
    Boolean(x),
  );
  const r = zxcvbn().check(password, inputs);
  if (r.score >= MIN_PASSWORD_SCORE) return null;
  const warning = r.feedback.warning ? WARNINGS[r.feedback.warning] : undefined;
  return `强度不足：${warning ? `${warning}，` : ""}容易被猜到；请使用更长、更不常见的组合，例如几个不相关的词加数字`;
}

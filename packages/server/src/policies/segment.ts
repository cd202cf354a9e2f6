/** Chinese word segmentation with jieba (search mode), for full-text indexing with the 'simple' configuration. */
import { Jieba } from "@node-rs/jieba";
import { dict } from "@node-rs/jieba/dict.js";

let jieba: Jieba | undefined;

function instance(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

const PUNCTUATION = /^[\s\p{P}\p{S}]+$/u;

/** Tokens for indexing or querying: search-mode cut, punctuation dropped, lower-cased. */
export function segment(text: string): string[] {
  return instance()
    .cutForSearch(text, true)
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t.length > 0 && !PUNCTUATION.test(t));
}

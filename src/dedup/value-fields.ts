/**
 * Value fields: a masked number or date with the words that label and qualify it on its line
 * (`Glucose 122 mg/dL (H) [2014-10-17]` is `glucose #num mg dl h #date`). Once values are masked,
 * two patients' vitals lines and lab panels are the same tokens (a basic metabolic panel lists
 * its nine analytes in one order, each with its unit), so a shared run of them says nothing about
 * copied wording: what it shares is a format, with the content masked away. An exact overlap is
 * counted by its tokens outside value fields (its prose), and a span with fewer than `minSpan` of
 * them is a value-list overlap, reported apart and not flagged (unless `flagValueLists`, `--flag-value-lists`).
 */
import { MASK, type NormalizedText } from './normalize.js';

/** Words before a value that belong to its field (the label), and after it (unit, flag). */
const LABEL_WORDS = 1;
const QUALIFIER_WORDS = 2;

/** 1 for every token inside a value field. */
export function valueFieldMask(normalized: NormalizedText, text: string): Uint8Array {
  const { tokens, starts, ends } = normalized;
  const n = tokens.length;
  const mask = new Uint8Array(n);
  // line[k]: the number of line breaks before token k, so "same line" is an equality.
  const line = new Int32Array(n);
  for (let k = 1; k < n; k++) {
    let breaks = line[k - 1]!;
    for (let c = ends[k - 1]!; c < starts[k]!; c++) if (text.charCodeAt(c) === 10) breaks++;
    line[k] = breaks;
  }
  for (let k = 0; k < n; k++) {
    if (tokens[k] !== MASK.number && tokens[k] !== MASK.date) continue;
    mask[k] = 1;
    for (let d = 1; d <= LABEL_WORDS && k - d >= 0 && line[k - d] === line[k]; d++) mask[k - d] = 1;
    for (let d = 1; d <= QUALIFIER_WORDS && k + d < n && line[k + d] === line[k]; d++) mask[k + d] = 1;
  }
  return mask;
}

/** Tokens of [start, start + length) outside value fields. */
export function proseTokens(mask: Uint8Array, start: number, length: number): number {
  let prose = 0;
  for (let k = start; k < start + length; k++) if (mask[k] === 0) prose++;
  return prose;
}

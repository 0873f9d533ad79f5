/**
 * The dosage written after a drug name: strength ("500 mg"), route ("PO", "by mouth"), frequency
 * ("twice daily", "BID", "q8h", "PRN"), and the record's strengths of a drug read off its label.
 */
import { memoByText } from './text-memo.js';
import type { DosagePart } from './types.js';

const STRENGTH = /(?<![\d./])(\d+(?:\.\d+)?)\s?(mg|mcg|µg|g|mL|units?|IU|mEq)(?![A-Za-z/])/gi;
const ROUTE = /\b(?:PO|by mouth|orally|oral|IV|intravenous(?:ly)?|IM|intramuscular(?:ly)?|SC|SQ|subcutaneous(?:ly)?|inhaled|topical(?:ly)?|intranasal|nasal|sublingual|SL|transdermal|rectal(?:ly)?)\b/gi;
const FREQUENCY =
  /\b(?:once daily|twice daily|three times daily|four times daily|once a day|twice a day|every day|daily|nightly|at bedtime|weekly|monthly|BID|TID|QID|QD|QHS|QAM|QPM|PRN|as needed|q\d{1,2}h|every \d{1,2} hours|every (?:morning|evening|other day))\b/gi;

/** Where a drug's dosage may be written: up to the clause end or the next mention. */
const WINDOW_END = /[;:\n(]|\.(?!\d)|,\s*(?![\d])/;

export function dosageParts(text: string, from: number, limit: number): DosagePart[] {
  const rest = text.slice(from, Math.min(limit, from + 48));
  const cut = WINDOW_END.exec(rest);
  const window = cut === null ? rest : rest.slice(0, cut.index);
  const parts: DosagePart[] = [];
  const add = (re: RegExp, kind: DosagePart['kind']) => {
    for (const m of window.matchAll(re)) parts.push({ kind, start: from + m.index, end: from + m.index + m[0].length, text: m[0] });
  };
  add(STRENGTH, 'strength');
  add(ROUTE, 'route');
  add(FREQUENCY, 'frequency');
  return parts.sort((a, b) => a.start - b.start);
}

/** A strength in milligrams where it converts (mcg, g), else as written with its unit. */
export function normalizedStrength(text: string): string | undefined {
  STRENGTH.lastIndex = 0;
  const m = STRENGTH.exec(text);
  STRENGTH.lastIndex = 0;
  if (m === null) return undefined;
  const value = Number(m[1]);
  const unit = m[2]!.toLowerCase();
  if (unit === 'mcg' || unit === 'µg') return `${+(value / 1000).toFixed(6)} mg`;
  if (unit === 'g') return `${value * 1000} mg`;
  if (unit === 'unit' || unit === 'units' || unit === 'iu') return `${value} units`;
  return `${value} ${unit}`;
}

/**
 * The strengths a drug label states ("metformin 500 mg ER tablet"), normalized; concentrations ("/mL")
 * excluded. Read per drug mention of every note, of labels that recur across sheets: remembered per label.
 */
export const labelStrengths: (label: string) => readonly string[] = memoByText(strengthsOf);

function strengthsOf(label: string): string[] {
  const out: string[] = [];
  for (const m of label.matchAll(/(?<![\d./])(\d+(?:\.\d+)?)\s?(mg|mcg|µg|g|mL|units?|IU|mEq)(?![A-Za-z])(\/\S+)?/gi)) {
    if (m[3] !== undefined) continue;
    const s = normalizedStrength(`${m[1]} ${m[2]}`);
    if (s !== undefined) out.push(s);
  }
  return out;
}

/** Whether the label names a concentration or a combination, where one stated number cannot be judged; remembered per label. */
export const hasConcentration: (label: string) => boolean = memoByText((label) => /\d\s?(?:mg|mcg|units?|mEq)\/|\d\s?(?:mg|mcg)\s?\/\s?\d/i.test(label));

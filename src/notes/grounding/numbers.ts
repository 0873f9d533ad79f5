/**
 * Numbers stated for vital signs and labs must match the record within rounding: "36.8" or "37"
 * for 36.8 °C, and also the common conversions (98.2 °F, 181.9 lb, inches). Checked wherever the
 * note names the measurement (its label or a synonym) and in every mention citing it.
 */
import type { Fact, FactSheet } from '../facts.js';
import type { NoteOutput } from '../note-output.js';
import { violation, type Span, type Violation } from './violation.js';

/** A stated number: one value, or a pair like 128/82. */
interface Stated {
  readonly values: readonly string[];
  readonly start: number;
  readonly end: number;
}

const NUMBER = /(?<![\w.])(\d+(?:\.\d+)?)(?:\s*\/\s*(\d+(?:\.\d+)?))?(?![\d])/g;
const DATE = /\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}\/\d{1,2}\/\d{2,4}\b/g;

/** Whether `stated` is `value` written with as many decimals as it shows (or a conversion of it). */
export function matchesWithinRounding(stated: string, value: number, unit?: string): boolean {
  const decimals = stated.includes('.') ? stated.length - stated.indexOf('.') - 1 : 0;
  const tolerance = 0.5 * 10 ** -decimals + 1e-9;
  const x = Number(stated);
  const candidates = [value, ...conversions(value, unit)];
  return candidates.some((v) => Math.abs(x - v) <= tolerance);
}

function conversions(value: number, unit: string | undefined): number[] {
  switch (unit) {
    case 'Cel':
      return [(value * 9) / 5 + 32];
    case 'kg':
      return [value * 2.204_622_6];
    case 'cm':
      return [value / 2.54];
    case 'g':
      return [value / 1000];
    default:
      return [];
  }
}

function firstStated(text: string, offset: number): Stated | undefined {
  const clean = text.replace(DATE, (d) => ' '.repeat(d.length));
  NUMBER.lastIndex = 0;
  const m = NUMBER.exec(clean);
  if (m === null) return undefined;
  return { values: m[2] === undefined ? [m[1]!] : [m[1]!, m[2]], start: offset + m.index, end: offset + m.index + m[0].length };
}

function statedMatches(stated: Stated, fact: Fact): boolean {
  if (fact.components !== undefined && fact.components.length > 0) {
    if (stated.values.length === 2) {
      return fact.components.length >= 2 && stated.values.every((v, i) => matchesWithinRounding(v, fact.components![i]!.value, fact.components![i]!.unit));
    }
    return fact.components.some((c) => matchesWithinRounding(stated.values[0]!, c.value, c.unit));
  }
  if (fact.value === undefined || stated.values.length !== 1) return false;
  return matchesWithinRounding(stated.values[0]!, fact.value, fact.unit);
}

function expected(fact: Fact): string {
  if (fact.components !== undefined && fact.components.length > 0) return fact.components.map((c) => c.value).join('/');
  return `${fact.value}${fact.unit === undefined ? '' : ` ${fact.unit}`}`;
}

function isNumeric(fact: Fact): boolean {
  return (fact.kind === 'vital' || fact.kind === 'lab') && (fact.value !== undefined || (fact.components?.length ?? 0) > 0);
}

function escape(term: string): string {
  return term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Where a stated value ends: clause punctuation, a parenthesis, or a sentence end (not a decimal point). */
const WINDOW_END = /[,;(\n]|\.(?!\d)/;

const TARGET = /[<>≤≥]|\b(?:goal|target|under|below|above|less than|greater than|over)\b/i;

export function checkNumbers(note: NoteOutput, text: string, sheet: FactSheet): Violation[] {
  const out: Violation[] = [];
  const seen = new Set<number>();
  const report = (fact: Fact, stated: Stated) => {
    if (seen.has(stated.start)) return;
    seen.add(stated.start);
    const span: Span = { start: stated.start, end: stated.end };
    out.push(violation('number-mismatch', `"${text.slice(span.start, span.end)}" stated for ${fact.label} (${fact.id}), but the record has ${expected(fact)}`, span));
  };
  const numeric = sheet.facts.filter(isNumeric);
  // One scan over every label and synonym, longest first, so "Head circumference percentile 62"
  // is read as the percentile, not as a head circumference of 62.
  const owner = new Map<string, Fact>();
  for (const fact of numeric) {
    for (const term of [fact.label, ...(fact.synonyms ?? [])]) {
      const key = term.trim().toLowerCase();
      if (key !== '' && !owner.has(key)) owner.set(key, fact);
    }
  }
  if (owner.size > 0) {
    const terms = [...owner.keys()].sort((a, b) => b.length - a.length);
    const pattern = new RegExp(`(?<![A-Za-z0-9])(?:${terms.map(escape).join('|')})(?![A-Za-z0-9]|-[A-Za-z])`, 'gi');
    for (const m of text.matchAll(pattern)) {
      const fact = owner.get(m[0].toLowerCase());
      if (fact === undefined) continue;
      const from = m.index + m[0].length;
      const rest = text.slice(from, from + 40);
      const cut = WINDOW_END.exec(rest);
      const window = cut === null ? rest : rest.slice(0, cut.index);
      const stated = firstStated(window, from);
      if (stated === undefined) continue;
      // "BP goal <130/80" states a target, not a measurement.
      if (TARGET.test(text.slice(from, stated.start))) continue;
      if (!statedMatches(stated, fact)) report(fact, stated);
    }
  }
  const byId = new Map(numeric.map((f) => [f.id, f]));
  for (const mention of note.mentions) {
    const fact = byId.get(mention.factId);
    const at = text.indexOf(mention.text);
    if (fact === undefined || at < 0) continue;
    const stated = firstStated(mention.text, at);
    if (stated !== undefined && !statedMatches(stated, fact)) report(fact, stated);
  }
  return out;
}

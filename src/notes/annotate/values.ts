/**
 * Numbers a note states for vital signs and labs, read right after the mention that names the
 * measurement: "BP 138/86", "weight: 82.5", "A1c today was 7.4". A value matches the record within
 * the rounding it shows ("36.8" or "37" for 36.8 °C) and in the common conversions (98.2 °F,
 * 181.9 lb, inches).
 */
import type { Fact } from '../facts.js';
import type { TextSpan } from './types.js';

/** A stated number: one value, or a pair like 128/82. */
export interface StatedValue extends TextSpan {
  readonly values: readonly string[];
}

const NUMBER = /(?<![\w.])(\d+(?:\.\d+)?)(?:\s*\/\s*(\d+(?:\.\d+)?))?(?![\d])/g;
const DATE = /\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}\/\d{1,2}\/\d{2,4}\b/g;
const HAS_DATE = /\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}\/\d{1,2}\/\d{2,4}\b/;
/** Where a stated value ends: clause punctuation, a parenthesis, or a sentence end (not a decimal point). */
const WINDOW_END = /[,;(\n]|\.(?!\d)/;
/** Only linking words may stand between the name and its value: "weight loss of 2 kg" and "BP goal <130/80" state no value. */
const LINK = /^[\s:=,-]*(?:(?:is|was|were|of|at|on|to|the|this|last|latest|visit|today|now|currently|measured|recorded|reading|remains|remained|noted|found|improved|elevated)\b[\s:=,-]*)*$/i;

/** Whether `stated` is `value` written with as many decimals as it shows (or a conversion of it). */
export function matchesWithinRounding(stated: string, value: number, unit?: string): boolean {
  const decimals = stated.includes('.') ? stated.length - stated.indexOf('.') - 1 : 0;
  const tolerance = 0.5 * 10 ** -decimals + 1e-9;
  const x = Number(stated);
  if (Math.abs(x - value) <= tolerance) return true;
  return conversions(value, unit).some((v) => Math.abs(x - v) <= tolerance);
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
    case 'wk':
      // Gestational age is stated in completed weeks (39.57 wk is "39 weeks 4 days").
      return [Math.floor(value + 1e-6)];
    default:
      return [];
  }
}

/** The first number of `text` (dates blanked), offsets shifted by `offset`. */
export function firstStated(text: string, offset: number): StatedValue | undefined {
  const clean = HAS_DATE.test(text) ? text.replace(DATE, (d) => ' '.repeat(d.length)) : text;
  NUMBER.lastIndex = 0;
  const m = NUMBER.exec(clean);
  if (m === null) return undefined;
  return { values: m[2] === undefined ? [m[1]!] : [m[1]!, m[2]], start: offset + m.index, end: offset + m.index + m[0].length };
}

/** The value stated right after a measurement's name ending at `from`, when the words between only link them. */
export function valueAfter(text: string, from: number): StatedValue | undefined {
  const rest = text.slice(from, from + 40);
  const cut = WINDOW_END.exec(rest);
  const window = cut === null ? rest : rest.slice(0, cut.index);
  const stated = firstStated(window, from);
  if (stated === undefined) return undefined;
  const between = text.slice(from, stated.start);
  return LINK.test(HAS_DATE.test(between) ? between.replace(DATE, ' ') : between) ? stated : undefined;
}

/**
 * "Hgb 10.6 g/dL, down from 12.4 g/dL", "(increased from 13 mg/dL on admission)": after a stated
 * value (its unit, then a comma or an opening parenthesis, a direction word), "from" and the value
 * it moved from. Directions are English, not clinical knowledge, like {@link LINK}.
 */
const TREND = /^(?:[^\S\n]?[^\s,;()]+)?[^\S\n]*[,(]?[^\S\n]*(?:(?:down|up|decreased|increased|improved|rose|fell|dropped)[^\S\n]+)?from[^\S\n]+(?=\d)/i;

/** The value a measurement moved from, stated right after its value ending at `from` and before `to` (the next mention). */
export function trendValueAfter(text: string, from: number, to: number): StatedValue | undefined {
  const rest = text.slice(from, Math.min(to, from + 48));
  const m = TREND.exec(rest);
  if (m === null) return undefined;
  const stated = firstStated(rest.slice(m[0].length), from + m[0].length);
  return stated !== undefined && stated.start === from + m[0].length ? stated : undefined;
}

export function isNumericFact(fact: Fact): boolean {
  return (fact.kind === 'vital' || fact.kind === 'lab' || fact.kind === 'birth' || fact.kind === 'prenatal') && (fact.value !== undefined || (fact.components?.length ?? 0) > 0);
}

export function statedMatches(stated: StatedValue, fact: Fact): boolean {
  if (fact.components !== undefined && fact.components.length > 0) {
    if (stated.values.length === 2) {
      return fact.components.length >= 2 && stated.values.every((v, i) => matchesWithinRounding(v, fact.components![i]!.value, fact.components![i]!.unit));
    }
    return fact.components.some((c) => matchesWithinRounding(stated.values[0]!, c.value, c.unit));
  }
  if (fact.value === undefined || stated.values.length !== 1) return false;
  // A stay's lab: its first result is the record's too (the discharge summary says how it moved).
  const first = fact.firstOfStay?.value;
  return matchesWithinRounding(stated.values[0]!, fact.value, fact.unit) || (first !== undefined && matchesWithinRounding(stated.values[0]!, first, fact.unit));
}

/** The record's value of a numeric fact, as a message states it. */
export function recordedValue(fact: Fact): string {
  if (fact.components !== undefined && fact.components.length > 0) return fact.components.map((c) => c.value).join('/');
  const unit = fact.unit === undefined ? '' : ` ${fact.unit}`;
  return fact.firstOfStay === undefined ? `${fact.value}${unit}` : `${fact.value}${unit} (${fact.firstOfStay.value}${unit} on ${fact.firstOfStay.date})`;
}

/**
 * Dates and times a note states: ISO and US dates, years, month-years, relative times ("three
 * years ago", "last month", "last spring") and ages at events ("at age 50"), each as the range of
 * calendar dates it can mean, counted from the encounter's date.
 */
import type { TextSpan } from './types.js';

export interface TimeExpression extends TextSpan {
  readonly text: string;
  readonly kind: 'date' | 'year' | 'relative' | 'age-at';
  readonly earliest: string;
  readonly latest: string;
}

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, fifteen: 15, twenty: 20, thirty: 30, several: 3, 'a few': 3, few: 3, couple: 2, 'a couple of': 2,
};
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
/** Meteorological seasons (northern hemisphere): first month, 0-based. */
const SEASONS: Readonly<Record<string, number>> = { spring: 2, summer: 5, fall: 8, autumn: 8, winter: 11 };

const PATTERN = new RegExp(
  [
    String.raw`(?<iso>\b(?:19|20)\d\d-\d\d-\d\d\b)`,
    String.raw`(?<us>\b\d{1,2}\/\d{1,2}\/(?:19|20)\d\d\b)`,
    String.raw`(?<monthyear>\b(?:${MONTHS.join('|')}) (?:of )?(?:19|20)\d\d\b)`,
    // A house number is no year ("Home address: 1921 Oak Street" in the chart footer), nor is a measure ("2096 g").
    String.raw`(?<year>(?<![\d\/-])(?<![Aa]ddress: )(?:19|20)\d\d(?![\d\/-])(?!\s?(?:g|grams|kg|mg|mL)\b))`,
    String.raw`(?<ago>\b(?<n>\d{1,2}|${Object.keys(NUMBER_WORDS).sort((a, b) => b.length - a.length).join('|')}) (?<unit>day|week|month|year)s? (?:ago|prior|before|earlier)\b)`,
    String.raw`(?<last>\b(?:last|this past) (?<lunit>week|month|year|spring|summer|fall|autumn|winter)\b)`,
    String.raw`(?<age>\bat (?:the )?age (?:of )?(?<an>\d{1,3})\b|\bat (?<an2>\d{1,3}) years? (?:of age|old)\b)`,
  ].join('|'),
  'gi',
);

function iso(d: Date): string {
  return d.toISOString().slice(0, 10);
}
function utc(y: number, m: number, day: number): Date {
  return new Date(Date.UTC(y, m, day));
}
function shift(date: Date, unit: string, n: number): Date {
  const d = new Date(date.getTime());
  if (unit === 'day') d.setUTCDate(d.getUTCDate() - n);
  else if (unit === 'week') d.setUTCDate(d.getUTCDate() - 7 * n);
  else if (unit === 'month') d.setUTCMonth(d.getUTCMonth() - n);
  else d.setUTCFullYear(d.getUTCFullYear() - n);
  return d;
}

/** Every time expression of `text`, with `reference` the encounter date and `birthDate` the patient's. */
export function timeExpressions(text: string, reference: string, birthDate: string): TimeExpression[] {
  const ref = new Date(`${reference}T00:00:00Z`);
  const out: TimeExpression[] = [];
  for (const m of text.matchAll(PATTERN)) {
    const g = m.groups!;
    const span = { start: m.index, end: m.index + m[0].length, text: m[0] };
    if (g['iso'] !== undefined) out.push({ ...span, kind: 'date', earliest: g['iso'], latest: g['iso'] });
    else if (g['us'] !== undefined) {
      const [mo, d, y] = g['us'].split('/').map(Number) as [number, number, number];
      const date = iso(utc(y, mo - 1, d));
      out.push({ ...span, kind: 'date', earliest: date, latest: date });
    } else if (g['monthyear'] !== undefined) {
      const [mon, ...rest] = g['monthyear'].toLowerCase().split(' ');
      const y = Number(rest.at(-1));
      const mo = MONTHS.indexOf(mon!);
      out.push({ ...span, kind: 'date', earliest: iso(utc(y, mo, 1)), latest: iso(utc(y, mo + 1, 0)) });
    } else if (g['year'] !== undefined) {
      const y = Number(g['year']);
      out.push({ ...span, kind: 'year', earliest: `${y}-01-01`, latest: `${y}-12-31` });
    } else if (g['ago'] !== undefined) {
      const raw = g['n']!.toLowerCase();
      const n = /^\d+$/.test(raw) ? Number(raw) : NUMBER_WORDS[raw] ?? 1;
      const unit = g['unit']!.toLowerCase();
      // "Three years ago" is said of anything from two to four years back: people count calendar years.
      const slack = 1;
      const unitShift = (k: number) => (unit === 'year' ? shift(ref, 'month', Math.round(k * 12)) : shift(ref, unit, k));
      const vague = raw === 'several' || raw === 'few' || raw === 'a few' || raw === 'couple' || raw === 'a couple of';
      out.push({ ...span, kind: 'relative', earliest: iso(unitShift(vague ? n * 3 : n + slack)), latest: iso(unitShift(vague ? 1 : Math.max(0, n - slack))) });
    } else if (g['last'] !== undefined) {
      const unit = g['lunit']!.toLowerCase();
      const season = SEASONS[unit];
      if (season === undefined) {
        out.push({ ...span, kind: 'relative', earliest: iso(shift(ref, unit, 2)), latest: iso(ref) });
      } else {
        // The latest season that has begun and ended before the reference date.
        let y = ref.getUTCFullYear();
        let start = utc(y, season, 1);
        let end = utc(y, season + 3, 0);
        while (end >= ref) {
          y -= 1;
          start = utc(y, season, 1);
          end = utc(y, season + 3, 0);
        }
        out.push({ ...span, kind: 'relative', earliest: iso(start), latest: iso(end) });
      }
    } else {
      const age = Number(g['an'] ?? g['an2']);
      const birth = new Date(`${birthDate}T00:00:00Z`);
      const from = new Date(birth.getTime());
      from.setUTCFullYear(birth.getUTCFullYear() + age);
      const to = new Date(birth.getTime());
      to.setUTCFullYear(birth.getUTCFullYear() + age + 1);
      to.setUTCDate(to.getUTCDate() - 1);
      out.push({ ...span, kind: 'age-at', earliest: iso(from), latest: iso(to) });
    }
  }
  return out;
}

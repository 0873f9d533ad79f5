/**
 * The public holidays clinics close on (holidays.yaml: the federal holidays of 5 U.S.C. 6103 that
 * offices keep closed, with their history and observed-day rules), as local day numbers.
 */
import { z } from 'zod';
import { KnowledgeError } from '../errors.js';
import { loadKnowledgeFile, once } from './load.js';

const MS_PER_DAY = 86_400_000;

const RuleSchema = z
  .strictObject({
    /** First and last year the rule holds (inclusive). */
    since: z.number().int().optional(),
    until: z.number().int().optional(),
    month: z.number().int().min(1).max(12),
    /** A fixed day of the month... */
    day: z.number().int().min(1).max(31).optional(),
    /** ...or the nth (1-based; -1 the last) ISO weekday (Monday 1 .. Sunday 7) of the month. */
    weekday: z.number().int().min(1).max(7).optional(),
    nth: z.number().int().min(-1).max(5).optional(),
  })
  .refine((r) => (r.day === undefined) !== (r.weekday === undefined || r.nth === undefined), 'a rule has a day, or a weekday and nth');

export const HolidaysSchema = z.strictObject({
  source: z.string().min(1),
  /** Days a holiday on a Saturday or Sunday is observed away from it (-1 the Friday before, 1 the Monday after). */
  observed: z.strictObject({ saturday: z.number().int(), sunday: z.number().int() }),
  holidays: z.array(z.strictObject({ name: z.string().min(1), rules: z.array(RuleSchema).min(1) })).min(1),
});
export type Holidays = z.infer<typeof HolidaysSchema>;

export const loadHolidays = once(() => loadKnowledgeFile('holidays.yaml', HolidaysSchema));

/** ISO weekday (Monday 1 .. Sunday 7) of a day number (1970-01-01, day 0, was a Thursday). */
const isoWeekday = (dayNumber: number): number => ((((dayNumber + 3) % 7) + 7) % 7) + 1;
const dayOf = (year: number, month: number, day: number): number => Date.UTC(year, month - 1, day) / MS_PER_DAY;

type Rule = z.infer<typeof RuleSchema>;

/** The day number a rule gives in `year`. */
function dateOf(rule: Rule, year: number): number {
  if (rule.day !== undefined) return dayOf(year, rule.month, rule.day);
  const weekday = rule.weekday!;
  if (rule.nth === -1) {
    const last = dayOf(year, rule.month + 1, 0);
    return last - ((isoWeekday(last) - weekday + 7) % 7);
  }
  const first = dayOf(year, rule.month, 1);
  return first + ((weekday - isoWeekday(first) + 7) % 7) + 7 * (rule.nth! - 1);
}

/** Every closed day of calendar year `year` (including a New Year's Day of the next year observed on December 31), by name. */
export function holidaysOf(table: Holidays, year: number): ReadonlyMap<number, string> {
  const out = new Map<number, string>();
  for (const y of [year, year + 1]) {
    for (const h of table.holidays) {
      const rules = h.rules.filter((r) => (r.since === undefined || y >= r.since) && (r.until === undefined || y <= r.until));
      if (rules.length > 1) throw new KnowledgeError(`holidays.yaml: ${h.name} has ${rules.length} rules for ${y}`);
      if (rules.length === 0) continue;
      const actual = dateOf(rules[0]!, y);
      const wd = isoWeekday(actual);
      const day = actual + (wd === 6 ? table.observed.saturday : wd === 7 ? table.observed.sunday : 0);
      if (new Date(day * MS_PER_DAY).getUTCFullYear() === year) out.set(day, day === actual ? h.name : `${h.name} (observed)`);
    }
  }
  return out;
}

const byYear = new Map<number, ReadonlyMap<number, string>>();

/** The holiday the clinic is closed for on local day `dayNumber` (days since 1970-01-01), or undefined. */
export function clinicHoliday(dayNumber: number): string | undefined {
  const year = new Date(dayNumber * MS_PER_DAY).getUTCFullYear();
  let days = byYear.get(year);
  if (days === undefined) {
    days = holidaysOf(loadHolidays(), year);
    byYear.set(year, days);
  }
  return days.get(dayNumber);
}

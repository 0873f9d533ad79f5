/**
 * Time in the record: instants are integer milliseconds since the Unix epoch, always UTC, so
 * output never depends on the machine's time zone or locale. Calendar dates are branded strings.
 */

/** A calendar date `YYYY-MM-DD`. */
export type IsoDate = string & { readonly __brand: 'IsoDate' };

/** Milliseconds since 1970-01-01T00:00:00Z. */
export type Instant = number;

export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;
/** Mean Gregorian year; used for ages in fractional years. */
export const MS_PER_YEAR = 365.2425 * MS_PER_DAY;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses `YYYY-MM-DD` strictly (real calendar days only); undefined when it is not one. */
export function parseIsoDate(text: string): IsoDate | undefined {
  const m = ISO_DATE.exec(text);
  if (m === null) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return text as IsoDate;
}

/** Midnight UTC of a date. */
export function dateToInstant(date: IsoDate): Instant {
  return Date.parse(`${date}T00:00:00Z`);
}

/** The calendar date (UTC) of an instant. */
export function instantToDate(t: Instant): IsoDate {
  return new Date(t).toISOString().slice(0, 10) as IsoDate;
}

/** FHIR `dateTime`/`instant` text for an instant, to the second, in UTC (`2020-01-31T09:15:00Z`). */
export function instantToDateTime(t: Instant): string {
  const s = new Date(t).toISOString();
  return `${s.slice(0, 19)}Z`;
}

/** Today's date in UTC. */
export function todayUtc(now: number = Date.now()): IsoDate {
  return instantToDate(now);
}

/** Age in whole years at `at`, the way people count birthdays (UTC calendar). */
export function ageInYears(birth: Instant, at: Instant): number {
  const b = new Date(birth);
  const a = new Date(at);
  let age = a.getUTCFullYear() - b.getUTCFullYear();
  const beforeBirthday =
    a.getUTCMonth() < b.getUTCMonth() || (a.getUTCMonth() === b.getUTCMonth() && a.getUTCDate() < b.getUTCDate());
  if (beforeBirthday) age--;
  return age;
}

/** Age in fractional years; for growth curves and hazards. */
export function ageInYearsExact(birth: Instant, at: Instant): number {
  return (at - birth) / MS_PER_YEAR;
}

const ZONE_FORMATS = new Map<string, Intl.DateTimeFormat>();

/**
 * Offset of an IANA time zone from UTC at `t`, in ms (e.g. -7 h for California in summer). The
 * zone is always named, so the result never depends on the machine's own time zone.
 */
function zoneOffset(zone: string, t: Instant): number {
  let f = ZONE_FORMATS.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    ZONE_FORMATS.set(zone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(t)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const wall = Date.UTC(p['year']!, p['month']! - 1, p['day']!, p['hour']!, p['minute']!);
  return wall - Math.floor(t / MS_PER_MINUTE) * MS_PER_MINUTE;
}

/** The local calendar day (days since 1970-01-01) and minute of the day of `t` in `zone`. */
export function localClock(zone: string, t: Instant): { dayNumber: number; minuteOfDay: number } {
  const wall = t + zoneOffset(zone, t);
  const dayNumber = Math.floor(wall / MS_PER_DAY);
  return { dayNumber, minuteOfDay: Math.floor((wall - dayNumber * MS_PER_DAY) / MS_PER_MINUTE) };
}

/** The instant a wall clock in `zone` shows `minuteOfDay` on local day `dayNumber` (daytime hours, away from DST changes). */
export function instantAtLocal(zone: string, dayNumber: number, minuteOfDay: number): Instant {
  const wall = dayNumber * MS_PER_DAY + minuteOfDay * MS_PER_MINUTE;
  const guess = wall - zoneOffset(zone, wall);
  return wall - zoneOffset(zone, guess);
}

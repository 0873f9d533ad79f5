/**
 * Which vaccines a person receives and when: the routine CDC schedule as it stood on each dose's
 * date (a vaccine is given only while it is the routine product), with personal uptake that is
 * correlated across vaccines (families that vaccinate tend to vaccinate for everything).
 */
import { loadImmunizations, type Vaccine } from '../knowledge/immunizations.js';
import { once } from '../knowledge/load.js';
import { MS_PER_DAY, dateToInstant, type Instant, type IsoDate } from '../core/time.js';
import { normalCdf } from './growth.js';
import type { Rng } from '../core/random.js';

export interface PlannedDose {
  readonly vaccine: Vaccine;
  /** Earliest and latest instants the dose may be given. */
  readonly earliest: Instant;
  readonly latest: Instant;
  readonly doseNumber: number | undefined;
  readonly seasonal: boolean;
}

interface PreparedVaccine {
  readonly vaccine: Vaccine;
  readonly from: Instant;
  readonly until: Instant;
}

const prepared = once((): readonly PreparedVaccine[] =>
  loadImmunizations().vaccines.map((vaccine) => ({
    vaccine,
    from: dateToInstant(vaccine.routineFrom as IsoDate),
    until: vaccine.routineUntil === null ? Number.POSITIVE_INFINITY : dateToInstant(vaccine.routineUntil as IsoDate),
  })),
);

const SEASON_START_DAY = 258; // mid-September
const SEASON_LENGTH_DAYS = 90;

/** Doses a person is due over their life, before `until`, sorted by earliest date. */
export function planImmunizations(rng: Rng, birth: Instant, until: Instant): PlannedDose[] {
  const attitude = rng.normal();
  const doses: PlannedDose[] = [];
  for (const { vaccine, from, until: routineUntil } of prepared()) {
    const own = rng.fork(vaccine.key);
    // Gaussian copula: personal attitude shared across vaccines, plus vaccine-specific noise.
    const propensity = normalCdf(0.7 * attitude + 0.714 * own.normal());
    if (vaccine.series.length > 0) {
      if (propensity >= vaccine.coverage) continue;
      vaccine.series.forEach((dose, k) => {
        const earliest = birth + dose.ageDays * MS_PER_DAY;
        if (earliest < from || earliest >= routineUntil || earliest >= until) return;
        doses.push({ vaccine, earliest, latest: earliest + dose.windowDays * MS_PER_DAY, doseNumber: k + 1, seasonal: false });
      });
    }
    const rec = vaccine.recurring;
    if (rec !== null) {
      const start = birth + rec.startAgeDays * MS_PER_DAY;
      const end = Math.min(until, routineUntil, rec.endAgeDays === null ? Infinity : birth + rec.endAgeDays * MS_PER_DAY);
      if (rec.seasonal) {
        const firstYear = new Date(Math.max(start, from)).getUTCFullYear();
        const lastYear = new Date(Math.min(end, Date.UTC(9999, 0))).getUTCFullYear();
        for (let year = firstYear; year <= lastYear; year++) {
          // Each season's uptake is drawn around the person's propensity: some years get missed.
          if (own.next() * 0.6 + propensity * 0.4 >= vaccine.coverage) continue;
          const earliest = Date.UTC(year, 0, 1) + SEASON_START_DAY * MS_PER_DAY;
          const latest = earliest + SEASON_LENGTH_DAYS * MS_PER_DAY;
          if (earliest < start || earliest < from || latest >= end) continue;
          doses.push({ vaccine, earliest, latest, doseNumber: undefined, seasonal: true });
        }
      } else if (propensity < vaccine.coverage) {
        for (let t = Math.max(start, from); t < end; t += rec.intervalDays * MS_PER_DAY) {
          doses.push({ vaccine, earliest: t, latest: t + 180 * MS_PER_DAY, doseNumber: undefined, seasonal: false });
        }
      }
    }
  }
  doses.sort((a, b) => a.earliest - b.earliest || (a.vaccine.key < b.vaccine.key ? -1 : 1));
  return doses;
}

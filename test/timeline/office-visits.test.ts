/**
 * Issue 11: office visits by age calibrated to the US survey (wellness.json `officeVisits`), and
 * the prenatal fetal heart heard from the week of its era (fetoscope, then Doppler).
 */
import { describe, expect, it } from 'vitest';
import { Rng, toSeed } from '../../src/core/random.js';
import { MS_PER_DAY, MS_PER_YEAR } from '../../src/core/time.js';
import { conditionModules } from '../../src/knowledge/conditions.js';
import { loadWellness } from '../../src/knowledge/lifecycle.js';
import { loadPregnancy } from '../../src/knowledge/pregnancy.js';
import { planOfficeVisits } from '../../src/timeline/follow-ups.js';
import type { LatentCourse } from '../../src/timeline/onsets.js';
import { drawPrenatalExam, fetalHeartFromWeek } from '../../src/timeline/pregnancy.js';

const at = (date: string): number => Date.parse(`${date}T12:00:00Z`);
const birth = at('1950-03-01');
const zone = 'America/Chicago';
const course = (onsetAge: number | undefined): LatentCourse => ({ module: conditionModules().find((m) => m.key === 'hypertension')!, onsetAge, remissionAge: undefined });
const checkups = Array.from({ length: 40 }, (_, i) => birth + (35 + i) * MS_PER_YEAR);
const plan = (courses: LatentCourse[], rates: Parameters<typeof planOfficeVisits>[0]['rates']) =>
  planOfficeVisits({ rng: Rng.of(toSeed(11), 'office'), courses, visits: checkups, birthTime: birth, end: birth + 70 * MS_PER_YEAR, zone, rates, minGapDays: 14 });

describe('office visits by age (NAMCS calibration)', () => {
  const rates = [{ fromAge: 45, toAge: 55, rate: 4 }];

  it('books the band rate of further visits from the first visit after a chronic onset, none outside its bands', () => {
    const visits = plan([course(46.2)], rates);
    const first = checkups.find((v) => v >= birth + 46.2 * MS_PER_YEAR)!;
    expect(visits.length).toBeGreaterThan(15); // about 4 a year over 8 years (47-55), less the ones near a checkup
    expect(visits.length).toBeLessThan(45);
    for (const v of visits) {
      expect(v.start).toBeGreaterThan(first);
      expect(v.age).toBeLessThan(55 + 14 / 365);
      expect(v.kind).toBe('followUp');
      for (const c of checkups) expect(Math.abs(c - v.start), 'clear of a booked visit').toBeGreaterThanOrEqual(13 * MS_PER_DAY);
    }
  });

  it('books none for a patient without a chronic diagnosis, or with a zero rate', () => {
    expect(plan([course(undefined)], rates)).toEqual([]);
    expect(plan([course(46)], [{ fromAge: 0, toAge: 200, rate: 0 }])).toEqual([]);
  });

  it('keeps the survey targets with their source and one rate band per age, contiguous', () => {
    const o = loadWellness().officeVisits;
    expect(o.targetSource).toMatch(/Health, United States, 2011, Table 96/);
    expect(o.bySexSource).toMatch(/Figure 22/);
    // Women visit more than men from 18 to 74 in the survey, and the added visits follow.
    for (const t of o.targets.filter((b) => b.fromAge >= 18 && b.toAge <= 75)) expect(t.female, t.label).toBeGreaterThan(t.male);
    for (const r of o.perYear.filter((b) => b.fromAge >= 18 && b.toAge <= 75)) expect(r.female).toBeGreaterThan(r.male);
    for (const bands of [o.targets.map((t) => [t.fromAge, t.toAge] as const), o.perYear.map((r) => [r.fromAge, r.toAge] as const)]) {
      for (let i = 1; i < bands.length; i++) expect(bands[i]![0]).toBe(bands[i - 1]![1]);
    }
  });
});

describe('fetal heart rate by era', () => {
  const k = loadPregnancy();

  it('hears the fetal heart from 20 weeks by fetoscope before Doppler (1972), from 12 weeks after', () => {
    expect(fetalHeartFromWeek(k, at('1960-06-01'))).toBe(20);
    expect(fetalHeartFromWeek(k, at('1990-06-01'))).toBe(12);
    const exam = (weeks: number, date: string) => drawPrenatalExam(Rng.of(toSeed(3), 'exam'), weeks * 7, at(date), k);
    expect(exam(15, '1960-06-01').fetalHeartRate).toBeUndefined();
    expect(exam(21, '1960-06-01').fetalHeartRate).toBeGreaterThanOrEqual(110);
    expect(exam(15, '1990-06-01').fetalHeartRate).toBeGreaterThanOrEqual(110);
    expect(exam(11, '1990-06-01').fetalHeartRate).toBeUndefined();
  });
});

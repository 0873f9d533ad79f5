import { describe, expect, it } from 'vitest';
import { periodOf } from '../../src/knowledge/availability.js';
import { loadConditionModules } from '../../src/knowledge/conditions.js';
import { loadScreening, type ScreeningKnowledge } from '../../src/knowledge/screening.js';
import { MS_PER_YEAR, type IsoDate } from '../../src/core/time.js';
import type { AdministrativeSex, PatientRecord } from '../../src/record/types.js';
import { createBody } from '../../src/timeline/body.js';
import { createCohortContext, simulateIndex } from '../../src/timeline/cohort.js';
import { planOnsets } from '../../src/timeline/onsets.js';
import { Rng, toSeed } from '../../src/core/random.js';
import { planScreenings, type ScreeningPlan } from '../../src/timeline/screening.js';
import type { SmokingHistory } from '../../src/timeline/smoking.js';
import { planWellVisits } from '../../src/timeline/visits.js';

const k = loadScreening();
const modules = loadConditionModules();
const SMOKER: SmokingHistory = { startAge: 17, quitAge: undefined, occasional: false };
const NEVER: SmokingHistory = { startAge: undefined, quitAge: undefined, occasional: false };
const CANCERS = ['breast-cancer', 'colorectal-cancer', 'prostate-cancer', 'lung-cancer'];

/** Whole lives to 85 straight through the onset and screening engines (no FHIR, no record). */
function lives(n: number, knowledge: ScreeningKnowledge, label: string): ScreeningPlan[] {
  const out: ScreeningPlan[] = [];
  for (let i = 0; i < n; i++) {
    const rng = Rng.of(toSeed(13), label, i);
    const sex: AdministrativeSex = i % 2 === 0 ? 'female' : 'male';
    const smoking = i % 4 < 2 ? SMOKER : NEVER;
    const age = 85;
    // Born 1955, so every program's test exists through the screening ages (low-dose CT from 2013-12-31).
    const birth = Date.UTC(1955, 0, 1);
    const body = createBody(rng.fork('body'), sex, 1955);
    const courses = planOnsets(modules, { body, sex, smoking, ageAtEnd: age }, (key) => rng.fork('condition', key));
    const visits = planWellVisits(rng.fork('visits'), birth, birth + age * MS_PER_YEAR, 'America/New_York').filter((v) => v.kind === 'adultCheckup');
    out.push(planScreenings(rng.fork('screening'), visits, sex, smoking, courses, knowledge));
  }
  return out;
}

describe('screening finds latent cancers before symptoms would', () => {
  const N = 4000;
  const screened = lives(N, k, 'lives');
  const unscreened = lives(N, { ...k, programs: k.programs.map((p) => ({ ...p, participation: 0 })) }, 'lives');

  it('finds a share of each screenable cancer arising at screening ages, diagnosing it earlier than symptoms', () => {
    for (const key of CANCERS) {
      const program = k.programs.find((p) => p.detects === key)!;
      let diagnosed = 0;
      let found = 0;
      let leadFound = 0;
      let leadOther = 0;
      for (const plan of screened) {
        const course = plan.courses.find((c) => c.module.key === key)!;
        if (course.onsetAge === undefined || course.detectableAge === undefined || course.detectableAge > 85) continue;
        // Cancers arising while the program screens (later ones only symptoms can find).
        if (course.onsetAge < program.fromAge || course.onsetAge > program.toAge) continue;
        diagnosed++;
        const byScreen = plan.screenings.some((s) => s.found && s.program.key === program.key);
        if (byScreen) {
          found++;
          leadFound += course.detectableAge - course.onsetAge;
        } else leadOther += course.detectableAge - course.onsetAge;
      }
      expect(diagnosed, key).toBeGreaterThan(15);
      const share = found / diagnosed;
      expect(share, `${key} share found by screening`).toBeGreaterThan(key === 'lung-cancer' ? 0.01 : 0.15);
      expect(share, `${key} share found by screening`).toBeLessThan(0.8);
      if (found > 0) expect(leadFound / found, key).toBeLessThan(leadOther / (diagnosed - found));
    }
  });

  it('screens only with tests of their era and finds nothing before: none before the date availability.yaml gives the test', () => {
    const early: string[] = [];
    let ldct = 0;
    for (const plan of screened) {
      for (const s of plan.screenings) {
        const first = periodOf(s.program.code.system, s.program.code.code)!.from;
        if (s.visit.start < first) early.push(`${s.program.key} on ${new Date(s.visit.start).toISOString().slice(0, 10)}`);
        if (s.program.key === 'lung-ldct') ldct++;
      }
    }
    expect(early).toEqual([]);
    expect(ldct).toBeGreaterThan(0);
  });

  it('never screens outside the program age and sex, and respects the interval', () => {
    const bad: string[] = [];
    for (const [i, plan] of screened.entries()) {
      const sex = i % 2 === 0 ? 'female' : 'male';
      const last = new Map<string, number>();
      for (const s of plan.screenings) {
        const p = s.program;
        const age = s.visit.age;
        if (age < p.fromAge || age >= p.toAge + 1) bad.push(`${p.key} at ${age}`);
        if (p.sex !== undefined && p.sex !== sex) bad.push(`${p.key} for a ${sex}`);
        const prev = last.get(p.key);
        if (prev !== undefined && age - prev < p.intervalYears * 0.75 - 1e-9) bad.push(`${p.key} again after ${age - prev} years`);
        last.set(p.key, age);
        if (p.kind === 'lab' && !(s.value! > 0)) bad.push(`${p.key} value ${s.value}`);
        if (p.kind === 'lab' && s.found && !(s.value! > p.lab.high)) bad.push(`${p.key} found a cancer with ${s.value}`);
      }
    }
    expect(bad).toEqual([]);
    expect(screened.filter((plan) => plan.screenings.length > 0).length).toBeGreaterThan(screened.length / 2);
    expect(unscreened.every((plan) => plan.screenings.length === 0)).toBe(true);
  });

  it('leaves courses without screening to their symptomatic sojourn, and remission after diagnosis', () => {
    const bad: string[] = [];
    for (const plan of unscreened) {
      for (const c of plan.courses) {
        const sojourn = k.sojournYears[c.module.key];
        if (sojourn === undefined || c.onsetAge === undefined) {
          if (c.detectableAge !== undefined) bad.push(`${c.module.key} detectable without a sojourn`);
          continue;
        }
        const lag = c.detectableAge! - c.onsetAge;
        if (lag < sojourn.min || lag > sojourn.max) bad.push(`${c.module.key} diagnosed ${lag} years after onset`);
        if (c.remissionAge !== undefined && c.remissionAge <= c.detectableAge!) bad.push(`${c.module.key} remits before diagnosis`);
      }
    }
    expect(bad).toEqual([]);
  });
});

describe('screening in generated records', () => {
  const cohort = (gender: AdministrativeSex, min: number, max: number, n: number): PatientRecord[] => {
    const ctx = createCohortContext({ seed: toSeed(17), referenceDate: '2025-06-01' as IsoDate, age: { min, max }, gender, state: undefined });
    return Array.from({ length: n }, (_, i) => simulateIndex(ctx, i).at(-1)!);
  };
  const women = cohort('female', 52, 74, 150);
  const men = cohort('male', 57, 69, 120);
  const ref = Date.UTC(2025, 5, 1);
  const code = (key: string): string => k.programs.find((p) => p.key === key)!.code.code;
  const within = (r: PatientRecord, c: string, years: number): boolean =>
    r.procedures.some((p) => p.code.code === c && ref - p.start <= years * MS_PER_YEAR) ||
    r.labReports.some((l) => l.code.code === c && ref - l.time <= years * MS_PER_YEAR);
  const share = (rs: readonly PatientRecord[], f: (r: PatientRecord) => boolean): number => rs.filter(f).length / rs.length;

  it('screens women with mammography and cervical cytology, men with PSA, never the other way round', () => {
    for (const r of men) {
      expect(r.procedures.filter((p) => p.code.code === code('mammography') || p.code.code === code('cervical-cytology'))).toEqual([]);
    }
    for (const r of women) expect(r.labReports.filter((l) => l.code.code === code('psa'))).toEqual([]);
    expect(share(women, (r) => within(r, code('mammography'), 2))).toBeGreaterThan(0.45);
    expect(share(women, (r) => within(r, code('mammography'), 2))).toBeLessThan(0.85);
    expect(share(men, (r) => within(r, code('psa'), 2))).toBeGreaterThan(0.15);
    expect(share(men, (r) => within(r, code('psa'), 2))).toBeLessThan(0.5);
    expect(share(women.concat(men), (r) => within(r, code('colonoscopy'), 10))).toBeGreaterThan(0.4);
  });

  it('records each screening at a preventive visit of the right age', () => {
    const codes = new Map(k.programs.map((p) => [p.code.code, p]));
    for (const r of women.concat(men)) {
      const byId = new Map(r.encounters.map((e) => [e.id, e]));
      const items = [...r.procedures.map((p) => ({ code: p.code.code, encounterId: p.encounterId })), ...r.labReports.map((l) => ({ code: l.code.code, encounterId: l.encounterId }))];
      for (const item of items) {
        const p = codes.get(item.code);
        if (p === undefined) continue;
        const e = byId.get(item.encounterId)!;
        expect(e.type.code).toBe('162673000');
        const age = (e.start - r.demographics.birthTime) / MS_PER_YEAR;
        expect(age).toBeGreaterThanOrEqual(p.fromAge);
        expect(age).toBeLessThan(p.toAge + 1);
      }
    }
  });
});

import { describe, expect, it } from 'vitest';
import { acuteModules, loadAcuteModules } from '../../src/knowledge/acute.js';
import { MS_PER_DAY, MS_PER_YEAR, type IsoDate } from '../../src/core/time.js';
import type { AdministrativeSex, PatientRecord } from '../../src/record/types.js';
import { createCohortContext, simulateIndex } from '../../src/timeline/cohort.js';
import { planEpisodes, type PlannedEpisode } from '../../src/timeline/episodes.js';
import { Rng, toSeed } from '../../src/core/random.js';
import { eraChoice } from '../../src/knowledge/availability.js';
import { SYSTEMS } from '../../src/record/types.js';
import { loadDosing } from '../../src/knowledge/dosing.js';

const modules = loadAcuteModules();
const REF = Date.parse('2025-06-01T00:00:00Z');

interface Life {
  readonly sex: AdministrativeSex;
  readonly birth: number;
  readonly years: number;
  readonly osteoporosisAt: number | undefined;
  readonly episodes: PlannedEpisode[];
}

/** Many cheap lives straight through the planner: ages spread 0-90, half with osteoporosis from 55. */
function lives(n: number, label: string, only = modules): Life[] {
  const out: Life[] = [];
  for (let i = 0; i < n; i++) {
    const rng = Rng.of(toSeed(9), label, i);
    const sex: AdministrativeSex = i % 2 === 0 ? 'female' : 'male';
    const years = rng.uniform(0.5, 90);
    const birth = REF - years * MS_PER_YEAR;
    const osteoporosisAt = i % 4 < 2 ? 55 : undefined;
    const episodes = planEpisodes(only, { birthTime: birth, end: REF, sex, onsetAgeOf: (k) => (k === 'osteoporosis' ? osteoporosisAt : undefined) }, (k) => rng.fork('plan', k));
    out.push({ sex, birth, years, osteoporosisAt, episodes });
  }
  return out;
}

const all = lives(4000, 'episodes');
const episodes = all.flatMap((l) => l.episodes.map((e) => ({ ...e, sex: l.sex, life: l })));
const of = (key: string): typeof episodes => episodes.filter((e) => e.module.key === key);

/** Episodes per 1,000 person-years within an age band. */
function ratePer1000(list: readonly Life[], minAge: number, maxAge: number, key?: string): number {
  let years = 0;
  let count = 0;
  for (const l of list) {
    years += Math.max(0, Math.min(l.years, maxAge) - minAge);
    count += l.episodes.filter((e) => e.age >= minAge && e.age < maxAge && (key === undefined || e.module.key === key)).length;
  }
  return (1000 * count) / years;
}

describe('acute episode planning', () => {
  it('puts otitis media in children', () => {
    const otitis = of('otitis-media');
    expect(otitis.length).toBeGreaterThan(500);
    expect(otitis.filter((e) => e.age < 18).length / otitis.length).toBeGreaterThan(0.9);
    expect(ratePer1000(all, 0, 3, 'otitis-media')).toBeGreaterThan(20 * ratePer1000(all, 18, 90, 'otitis-media'));
  });

  it('gives urinary tract infections mostly to women', () => {
    const uti = of('urinary-tract-infection');
    expect(uti.length).toBeGreaterThan(300);
    expect(uti.filter((e) => e.sex === 'female').length / uti.length).toBeGreaterThan(0.8);
  });

  it('starts COVID-19 only from March 2020, and influenza in winter', () => {
    const covid = of('covid-19');
    expect(covid.length).toBeGreaterThan(50);
    for (const e of covid) expect(e.onset).toBeGreaterThanOrEqual(Date.parse('2020-03-01T00:00:00Z'));
    const flu = of('influenza');
    const winter = flu.filter((e) => [10, 11, 0, 1, 2].includes(new Date(e.onset).getUTCMonth()));
    expect(winter.length / flu.length).toBeGreaterThan(0.8);
  });

  it('has at most one appendicitis per life, always admitted', () => {
    for (const l of all) expect(l.episodes.filter((e) => e.module.key === 'appendicitis').length).toBeLessThanOrEqual(1);
    const app = of('appendicitis');
    expect(app.length).toBeGreaterThan(20);
    for (const e of app) expect(e.setting).toBe('admission');
  });

  it('raises fractures with osteoporosis and pneumonia with age', () => {
    const withIt = all.filter((l) => l.osteoporosisAt !== undefined);
    const without = all.filter((l) => l.osteoporosisAt === undefined);
    expect(ratePer1000(withIt, 60, 90, 'forearm-fracture')).toBeGreaterThan(1.5 * ratePer1000(without, 60, 90, 'forearm-fracture'));
    expect(ratePer1000(all, 65, 90, 'pneumonia')).toBeGreaterThan(2 * ratePer1000(all, 18, 50, 'pneumonia'));
  });

  it('keeps visit counts realistic: children more, adults under one or two acute visits a year', () => {
    const child = ratePer1000(all, 0, 5);
    const adult = ratePer1000(all, 18, 65);
    expect(child).toBeGreaterThan(2 * adult);
    expect(child).toBeLessThan(3000);
    expect(adult).toBeGreaterThan(200);
    expect(adult).toBeLessThan(1500);
  });

  it('never overlaps two episodes of one module, and sees each after it starts and before it resolves', () => {
    const bad: string[] = [];
    for (const l of all) {
      const last = new Map<string, number>();
      for (const e of l.episodes) {
        const k = e.module.key;
        if (e.onset < l.birth || e.onset >= REF) bad.push(`${k} outside life`);
        if (e.seenDay < e.onset || e.resolves <= e.seenDay) bad.push(`${k} seen outside its course`);
        if (e.onset < (last.get(k) ?? -Infinity)) bad.push(`${k} overlaps the previous one`);
        last.set(k, e.resolves);
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
  });

  it('draws each module from its own stream: dropping a module leaves the others unchanged', () => {
    const fewer = lives(300, 'episodes', modules.filter((m) => m.key !== 'viral-uri'));
    for (let i = 0; i < 300; i++) {
      const full = all[i]!.episodes.filter((e) => e.module.key !== 'viral-uri').map((e) => [e.module.key, e.onset, e.setting]);
      expect(fewer[i]!.episodes.map((e) => [e.module.key, e.onset, e.setting])).toEqual(full);
    }
  });
});

describe('acute episodes in generated records', () => {
  const ctx = createCohortContext({ seed: toSeed(21), referenceDate: '2025-06-01' as IsoDate, age: undefined, gender: undefined, state: undefined });
  const records: PatientRecord[] = [];
  for (let i = 0; i < 250; i++) records.push(...simulateIndex(ctx, i));
  const acuteKeys = new Set(modules.map((m) => m.key));

  it('charts each episode at its own encounter, with the diagnosis as the encounter reason', () => {
    let charted = 0;
    const bad: string[] = [];
    for (const r of records) {
      const byId = new Map(r.encounters.map((e) => [e.id, e]));
      for (let i = 1; i < r.encounters.length; i++) if (r.encounters[i]!.start < r.encounters[i - 1]!.start) bad.push('encounters out of order');
      const orgs = new Set(r.providers.organizations.map((o) => o.id));
      const people = new Set(r.providers.practitioners.map((p) => p.id));
      for (const e of r.encounters) if (!orgs.has(e.organizationId) || !people.has(e.practitionerId)) bad.push(`encounter ${e.id} provider missing`);
      const end = r.death?.time ?? ctx.referenceTime;
      for (const c of r.conditions.filter((x) => acuteKeys.has(x.key))) {
        charted++;
        const enc = byId.get(c.encounterId);
        if (c.category !== 'encounter-diagnosis') bad.push(`${c.key} category ${c.category}`);
        if (enc?.reasonConditionId !== c.id || enc.reason?.code !== c.code.code) bad.push(`${c.key} not the reason of its encounter`);
        if (enc !== undefined && enc.class !== 'AMB' && enc.class !== 'EMER') bad.push(`${c.key} diagnosed at ${enc.class}`);
        if (c.onset > c.recorded) bad.push(`${c.key} recorded before onset`);
        if (c.clinicalStatus === 'resolved') {
          const a = c.abatement ?? NaN;
          if (!(a > c.onset && a <= end && a - c.onset < 120 * MS_PER_DAY)) bad.push(`${c.key} abatement out of window`);
        } else if (c.clinicalStatus !== 'active' || c.abatement !== undefined || end - c.onset >= 120 * MS_PER_DAY) {
          bad.push(`${c.key} ${c.clinicalStatus} without resolution long before the end`);
        }
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
    expect(charted).toBeGreaterThan(2000);
  });

  it('admits every appendicitis from the emergency department and removes the appendix during the stay', () => {
    let seen = 0;
    const wbcs: number[] = [];
    for (const r of records) {
      for (const c of r.conditions.filter((x) => x.key === 'appendicitis')) {
        seen++;
        const stays = r.encounters.filter((e) => e.reasonConditionId === c.id);
        expect(stays.map((e) => e.class)).toEqual(['EMER', 'IMP']);
        const imp = stays[1]!;
        expect(imp.dischargeDisposition?.code).toBe('home');
        const surgery = r.procedures.filter((p) => p.reasonConditionId === c.id && p.code.code === '80146002');
        expect(surgery).toHaveLength(1);
        expect(surgery[0]!.encounterId).toBe(imp.id);
        expect(surgery[0]!.start).toBeGreaterThanOrEqual(imp.start);
        expect(surgery[0]!.end).toBeLessThanOrEqual(imp.end);
        // A white cell count is drawn in the emergency department, high as appendicitis makes it
        // (as its era counted it: the automated count from 1956, the hand count 804-5 before it).
        const era = eraChoice({ system: SYSTEMS.loinc, code: '6690-2', display: '' }, stays[0]!.start);
        if (era === undefined) continue;
        const wbc = r.labReports.filter((l) => l.encounterId === stays[0]!.id && l.code.code === era.code);
        expect(wbc).toHaveLength(1);
        wbcs.push(wbc[0]!.results[0]!.value);
      }
    }
    expect(seen).toBeGreaterThan(0);
    expect(wbcs.reduce((a, b) => a + b, 0) / wbcs.length).toBeGreaterThan(11);
  });

  it('starts antibiotics and other courses at the diagnosis, and ends every finished course', () => {
    let orders = 0;
    const bad: string[] = [];
    for (const r of records) {
      const end = r.death?.time ?? ctx.referenceTime;
      const conditions = new Map(r.conditions.map((c) => [c.id, c]));
      for (const m of r.medications) {
        // Ward orders (given during a stay, at the admission) are charted by ward-orders.test.ts.
        if (m.inpatient !== undefined) continue;
        const c = conditions.get(m.conditionId)!;
        if (!acuteKeys.has(c.key)) continue;
        orders++;
        if (m.authored < c.recorded || m.authored < c.onset) bad.push(`${c.key}: ${m.medication.display} before the diagnosis`);
        // An admitted patient goes home with the course, prescribed at the stay's discharge (the ward treats her before).
        const stay = r.encounters.find((e) => e.class === 'IMP' && e.reasonConditionId === c.id);
        if (m.encounterId !== (stay?.id ?? c.encounterId)) bad.push(`${c.key}: ordered away from the diagnosis`);
        if (stay !== undefined && (m.authored <= stay.start || m.authored > stay.end)) bad.push(`${c.key}: discharge course outside the stay`);
        if (m.status === 'active') {
          // Only a course still running at the reference date stays open.
          if (r.death !== undefined || m.end !== undefined || end - m.authored >= 15 * MS_PER_DAY) bad.push(`${c.key}: open course`);
        } else if (m.end === undefined || m.end <= m.authored || m.end > end) {
          bad.push(`${c.key}: ${m.status} course without a sane end`);
        } else if (m.status === 'stopped' && (r.death === undefined || m.end !== r.death?.time)) {
          bad.push(`${c.key}: stopped other than by death`);
        }
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
    expect(orders).toBeGreaterThan(500);
  });

  it('gives children under 6 oral suspensions dosed by the weight taken at the visit, never tablets or capsules', () => {
    const dosing = loadDosing();
    let young = 0;
    const bad: string[] = [];
    for (const r of records) {
      const birth = r.demographics.birthTime;
      const conditions = new Map(r.conditions.map((c) => [c.id, c]));
      for (const m of r.medications) {
        // Ward orders (given during a stay, at the admission) are charted by ward-orders.test.ts.
        if (m.inpatient !== undefined) continue;
        const c = conditions.get(m.conditionId)!;
        if (!acuteKeys.has(c.key)) continue;
        const age = (m.authored - birth) / MS_PER_YEAR;
        const drug = dosing.drugs[m.medication.code]!;
        if (age >= 6) {
          if (drug.byWeight !== undefined) bad.push(`${c.key}: suspension at ${age.toFixed(1)} y`);
          continue;
        }
        young++;
        if (/tablet|capsule/i.test(m.medication.display)) bad.push(`${c.key}: ${m.medication.display} at ${age.toFixed(1)} y`);
        const d = m.weightDose;
        // Weighed at the diagnosis (the emergency visit of an admission, whose discharge course it doses).
        const weight = r.vitals.find((v) => v.kind === 'bodyWeight' && v.encounterId === c.encounterId);
        if (d === undefined || weight === undefined || d.weightKg !== weight.value) {
          bad.push(`${c.key}: no dose from a recorded weight`);
          continue;
        }
        const rule = drug.byWeight!.byCondition[c.key] ?? drug.byWeight!;
        const mgPerKg = d.mg / d.weightKg;
        // Within the rounding of an oral syringe (0.5 mL) of the guideline's mg/kg, or at the adult cap.
        if (d.mg < rule.maxMgPerDose - 0.5 * drug.byWeight!.mgPerMl && Math.abs(mgPerKg - rule.mgPerKg) > (0.5 * drug.byWeight!.mgPerMl) / d.weightKg + 0.01) {
          bad.push(`${c.key}: ${d.mg} mg for ${d.weightKg} kg`);
        }
        if (m.medication.code === '197803' && age < 0.5) bad.push('ibuprofen under 6 months');
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
    expect(young).toBeGreaterThan(50);
  });

  it('attaches procedures to their episode and fever to infections, not to sprains', () => {
    const temps = new Map<string, number[]>();
    for (const r of records) {
      const conditions = new Map(r.conditions.map((c) => [c.id, c]));
      const encounterReason = new Map(r.encounters.map((e) => [e.id, e.reasonConditionId]));
      // Procedures of acute episodes (screening, childbirth and hospital care have their own tests).
      const episodeKeys = new Set(acuteModules().map((m) => m.key));
      for (const p of r.procedures.filter((x) => episodeKeys.has(conditions.get(x.reasonConditionId ?? '')?.key ?? ''))) {
        expect(conditions.has(p.reasonConditionId!)).toBe(true);
        expect(encounterReason.get(p.encounterId)).toBe(p.reasonConditionId);
        expect(p.end).toBeGreaterThanOrEqual(p.start);
      }
      for (const v of r.vitals.filter((x) => x.kind === 'bodyTemperature')) {
        const reason = encounterReason.get(v.encounterId);
        const key = reason === undefined ? 'well' : conditions.get(reason)?.key ?? 'other';
        if (!temps.has(key)) temps.set(key, []);
        temps.get(key)!.push(v.value);
      }
    }
    const mean = (k: string): number => {
      const xs = temps.get(k) ?? [];
      return xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    };
    expect(mean('strep-pharyngitis')).toBeGreaterThan(38);
    expect(mean('ankle-sprain')).toBeLessThan(37.5);
    expect(mean('well')).toBeLessThan(37.5);
  });
});

import { describe, expect, it, vi } from 'vitest';
import { Rng, toSeed } from '../../src/core/random.js';
import { MS_PER_YEAR, type IsoDate } from '../../src/core/time.js';
import { childCreatinineQ } from '../../src/knowledge/kidney.js';
import { acuteModules } from '../../src/knowledge/acute.js';
import { labKeyOfCode, loadLabs, referenceRange, type LabDistribution } from '../../src/knowledge/labs.js';
import { loadPregnancy } from '../../src/knowledge/pregnancy.js';
import type { PatientRecord } from '../../src/record/types.js';
import { createCohortContext, simulateIndex } from '../../src/timeline/cohort.js';
import { drawLabValue, labResult } from '../../src/timeline/lab-draw.js';
import { IdAllocator } from '../../src/timeline/ids.js';

// Every caller of the evaluator goes through this module's exports, so spies on them see every draw
// and every report the timeline makes, from whichever knowledge file describes the lab.
vi.mock('../../src/timeline/lab-draw.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/timeline/lab-draw.js')>();
  return { ...actual, drawLabValue: vi.fn(actual.drawLabValue), labResult: vi.fn(actual.labResult) };
});

describe('drawLabValue', () => {
  const d: LabDistribution = { mean: 112, sd: 14, min: 70, max: 139, states: { diabetic: { mean: 168, sd: 18, min: 140 } } };

  it('draws normal(mean, sd) held to [min, max], and a state draws from its own distribution whole (not merged with the base bounds)', () => {
    const base: number[] = [];
    const diabetic: number[] = [];
    const a = Rng.of(toSeed(5), 'draw');
    const b = Rng.of(toSeed(5), 'draw');
    for (let i = 0; i < 2000; i++) {
      base.push(drawLabValue(d, a));
      diabetic.push(drawLabValue(d, b, 'diabetic'));
    }
    expect(Math.min(...base)).toBeGreaterThanOrEqual(70);
    expect(Math.max(...base)).toBeLessThanOrEqual(139);
    // Held at the ceiling now and then (112 + 2 sd is 140), never above it.
    expect(base.filter((x) => x === 139).length).toBeGreaterThan(0);
    expect(Math.min(...diabetic)).toBeGreaterThanOrEqual(140);
    // The state has no ceiling of its own, so the base's 139 does not apply to it.
    expect(Math.max(...diabetic)).toBeGreaterThan(180);
  });

  it('takes exactly one normal draw whatever the bounds, so a bound moves no later value', () => {
    const a = Rng.of(toSeed(6), 'one');
    const b = Rng.of(toSeed(6), 'one');
    drawLabValue({ mean: 0, sd: 1, min: 5 }, a);
    b.normal(0, 1);
    expect(a.next()).toBe(b.next());
  });

  it('reports a result by the lab entry: its code, unit, decimals and the interval for sex and pregnancy', () => {
    const labs = loadLabs().labs;
    const ids = new IdAllocator(Rng.of(toSeed(1), 'ids').key);
    const woman = labResult('hemoglobin', 12.345, ids, { sex: 'female' });
    expect(woman).toMatchObject({ code: labs.hemoglobin.code, unit: 'g/dL', value: 12.3, low: labs.hemoglobin.female!.low, high: labs.hemoglobin.female!.high });
    const pregnant = labResult('hemoglobin', 12.345, ids, { sex: 'female', pregnant: true });
    expect([pregnant.low, pregnant.high]).toEqual([labs.hemoglobin.pregnant!.low, labs.hemoglobin.pregnant!.high]);
    // A lab without a pregnancy interval keeps the one for her sex.
    expect(labResult('creatinine', 0.8, ids, { sex: 'female', pregnant: true })).toMatchObject({ low: labs.creatinine.female!.low, high: labs.creatinine.female!.high });
  });
});

describe('one evaluator for clinic, acute and pregnancy labs', () => {
  const ctx = createCohortContext({ seed: toSeed(21), referenceDate: '2025-06-01' as IsoDate, age: { min: 22, max: 42 }, gender: 'female', state: undefined });
  vi.mocked(drawLabValue).mockClear();
  vi.mocked(labResult).mockClear();
  const records: PatientRecord[] = [];
  for (let i = 0; i < 60; i++) records.push(...simulateIndex(ctx, i));
  const drawn = new Set(vi.mocked(drawLabValue).mock.calls.map(([d]) => d));
  const reported = new Set(vi.mocked(labResult).mock.calls.map(([key]) => key));

  it('draws the clinic chemistry, the acute episodes and the prenatal labs through drawLabValue, with the knowledge files own distributions', () => {
    const labs = loadLabs();
    // The clinic physiology (labs.json): the metabolic panel's sodium and the blood count's platelets, each
    // person's set point drawn from the population (its spread less the within-person part, labs.json
    // variation) and each result from the person's own distribution around it.
    const all = [...drawn];
    for (const d of [labs.chemistry.sodium, labs.blood.platelets]) {
      expect(all.some((x) => x.mean === d.mean && x.sd > 0 && x.sd < d.sd && x.min === d.min)).toBe(true);
      expect(all.some((x) => x.mean !== d.mean && Math.abs(x.mean - d.mean) < 4 * d.sd && x.sd < d.sd)).toBe(true);
    }
    // An acute episode's emergency count (acute/*.yaml).
    const acute = acuteModules().flatMap((m) => m.labs.map((l) => l.draw));
    expect(acute.some((d) => drawn.has(d))).toBe(true);
    // The prenatal blood count and glucose challenge (pregnancy.yaml), also read by the delivery stay.
    const k = loadPregnancy().labs;
    // Its blood count is drawn by drawLinkedCbc (inside lab-draw.ts, so not seen here), the hematocrit
    // following the hemoglobin: its own test is in test/notes/template/clinician-read-13d.test.ts.
    for (const d of k.cbc.results) expect(drawn.has(d), d.lab).toBe(false);
    expect(drawn.has(k.glucoseChallenge)).toBe(true);
    // And each is reported through labResult, by its labs.json key.
    for (const key of ['sodium', 'platelets', 'hemoglobin', 'glucoseChallenge'] as const) expect(reported.has(key), key).toBe(true);
    expect(acute.some((d) => reported.has(d.lab))).toBe(true);
  });

  it('reports every result of a labs.json lab with its unit, decimals and one of its reference intervals, whatever the source', () => {
    const labs = loadLabs().labs;
    const kids = loadLabs().kidney.children;
    let checked = 0;
    const bad: string[] = [];
    for (const r of records) {
      for (const report of r.labReports) {
        for (const x of report.results) {
          const key = labKeyOfCode(x.code.code);
          if (key === undefined) continue;
          const lab = labs[key];
          checked++;
          const intervals = [referenceRange(lab, r.demographics.sex), referenceRange(lab, r.demographics.sex, true)];
          // A child's creatinine is flagged against the children's interval (labs.json kidney.children).
          const age = (report.time - r.demographics.birthTime) / MS_PER_YEAR;
          if (key === 'creatinine' && age < kids.reportEgfrFromAge) {
            const q = childCreatinineQ(age, r.demographics.sex, kids);
            intervals.splice(0, 2, { low: Math.round(q * kids.referenceRatio.min * 100) / 100, high: Math.round(q * kids.referenceRatio.max * 100) / 100 });
          }
          if (x.unit !== lab.unit) bad.push(`${key} unit ${x.unit}`);
          if (!intervals.some((i) => i.low === x.low && i.high === x.high)) bad.push(`${key} interval ${x.low}-${x.high}`);
          if (Math.abs(Math.round(x.value * 10 ** lab.decimals) - x.value * 10 ** lab.decimals) > 1e-6) bad.push(`${key} value ${x.value}`);
        }
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
    expect(checked).toBeGreaterThan(500);
  });

  it('gives a child the creatinine of a child (full-age-spectrum Q) and no eGFR before 18', () => {
    const kids = loadLabs().kidney.children;
    const egfr = new Set(loadLabs().egfrEquations.map((e) => e.code.code));
    const creatinine = loadLabs().labs.creatinine.code.code;
    let children = 0;
    const bad: string[] = [];
    for (const r of records) {
      for (const report of r.labReports) {
        const age = (report.time - r.demographics.birthTime) / MS_PER_YEAR;
        if (age >= kids.reportEgfrFromAge) continue;
        for (const x of report.results) {
          if (egfr.has(x.code.code)) bad.push(`eGFR at ${age.toFixed(1)} y`);
          if (x.code.code !== creatinine) continue;
          children++;
          // A healthy child's creatinine is near Q (about 0.5 mg/dL at 11); an adult's equation gives twice that.
          const q = childCreatinineQ(age, r.demographics.sex, kids);
          if (x.value > 2 * q || x.value < q / 2) bad.push(`creatinine ${x.value} at ${age.toFixed(1)} y (Q ${q.toFixed(2)})`);
        }
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
    expect(children).toBeGreaterThan(10);
    expect(childCreatinineQ(11, 'male', kids)).toBeCloseTo(0.53, 2);
    expect(childCreatinineQ(16, 'female', kids)).toBe(0.67);
  });
});

import { describe, expect, it } from 'vitest';
import type { CheckedBundle } from '../../src/check/bundle-source.js';
import { viewBundle } from '../../src/check/bundle-view.js';
import { triageVitals, vitalPlausibility } from '../../src/check/vitals.js';
import { loadGrowthCharts } from '../../src/knowledge/growth-charts.js';
import { bmiAtZ, bmiPercentileOf, lmsAt, normalQuantile, valueAtZ } from '../../src/knowledge/lms.js';
import { miniBundle, nextId, urn, type Bundle, type Resource } from './builders.js';

function vital(pid: string, loinc: string, at: string, value: number, unit: string): Resource {
  return {
    resourceType: 'Observation',
    id: nextId(),
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: loinc }] },
    subject: { reference: urn(pid) },
    effectiveDateTime: at,
    valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
  };
}

function bp(pid: string, at: string, systolic: number, diastolic: number): Resource {
  const mmHg = { unit: 'mm[Hg]', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' };
  return {
    resourceType: 'Observation',
    id: nextId(),
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] },
    subject: { reference: urn(pid) },
    effectiveDateTime: at,
    component: [
      { code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] }, valueQuantity: { value: systolic, ...mmHg } },
      { code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] }, valueQuantity: { value: diastolic, ...mmHg } },
    ],
  };
}

/** A well visit's body measures: height (cm), weight (kg), BMI and its percentile as given. */
function visit(pid: string, at: string, h: number, w: number, bmi = Math.round((w / (h / 100) ** 2) * 10) / 10, percentile?: number): Resource[] {
  return [
    vital(pid, '8302-2', at, h, 'cm'),
    vital(pid, '29463-7', at, w, 'kg'),
    vital(pid, '39156-5', at, bmi, 'kg/m2'),
    ...(percentile === undefined ? [] : [vital(pid, '59576-9', at, percentile, '%')]),
  ];
}

function violations(b: Bundle): string[] {
  const out: string[] = [];
  vitalPlausibility.check(viewBundle('b.json', b as unknown as CheckedBundle), (_r, m) => out.push(m));
  return out;
}

const charts = loadGrowthCharts();

describe('extended BMI-for-age (CDC 2022)', () => {
  it('stays finite and rising far into the tail where the LMS formula of a negative-L chart has no value', () => {
    const lms = lmsAt(charts.charts.bmiForAge, 'male', 216);
    expect(valueAtZ(lms, 5)).toBeGreaterThan(1000); // the defect the extended method exists for
    let last = 0;
    for (const z of [0, 1, 1.6, 1.7, 2, 3, 3.5, 4, 5]) {
      const bmi = bmiAtZ(charts, 'male', 216, z);
      expect(bmi).toBeGreaterThan(last);
      expect(bmi).toBeLessThan(70);
      last = bmi;
    }
  });

  it('inverts: the percentile of the BMI at z is the percentile of z', () => {
    for (const sex of ['male', 'female'] as const) {
      for (const z of [-2, 0, 1.5, 2, 2.5, 3]) {
        const bmi = bmiAtZ(charts, sex, 130, z);
        expect(bmiPercentileOf(charts, sex, 130, bmi)).toBeCloseTo(100 * (0.5 * (1 + erf(z / Math.SQRT2))), 3);
      }
    }
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
  });
});

/** erf by its series, independent of the code under test. */
function erf(x: number): number {
  let sum = 0;
  let term = x;
  for (let n = 0; n < 60; n++) {
    sum += term / (2 * n + 1);
    term *= (-x * x) / (n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

describe('clinical.vital-plausibility', () => {
  const at = '2015-06-01T10:00:00Z';

  it('passes a plausible child and adult', () => {
    const childBmi = Math.round((36 / 1.44 ** 2) * 10) / 10;
    const percentile = Math.round(bmiPercentileOf(charts, 'male', 12 * 12.4, childBmi) * 10) / 10;
    const child = miniBundle({ birthDate: '2003-01-15', gender: 'male' }, (pid) => [...visit(pid, at, 144, 36, childBmi, percentile), bp(pid, at, 104, 62)]);
    const adult = miniBundle({ birthDate: '1960-01-15', gender: 'female' }, (pid) => [...visit(pid, at, 162, 140), bp(pid, at, 150, 90), vital(pid, '8867-4', at, 70, '/min')]);
    expect(violations(child)).toEqual([]);
    expect(violations(adult)).toEqual([]);
  });

  it("flags a child's weight of tonnes and the BMI in the thousands it gives", () => {
    const b = miniBundle({ birthDate: '2003-01-15', gender: 'male' }, (pid) => visit(pid, at, 150, 18_133.6));
    const found = violations(b);
    expect(found.some((m) => m.startsWith('weight (kg) 18133.6'))).toBe(true);
    expect(found.some((m) => m.startsWith('BMI 8059.4'))).toBe(true);
  });

  it('flags a blood pressure of 5270/3381 and one whose diastolic meets the systolic', () => {
    expect(violations(miniBundle({ birthDate: '1960-01-15' }, (pid) => [bp(pid, at, 5270, 3381)]))).toHaveLength(2);
    expect(violations(miniBundle({ birthDate: '1960-01-15' }, (pid) => [bp(pid, at, 120, 118)]))[0]).toMatch(/pulse pressure/);
  });

  it('flags an adult heart rate of 400 and a BMI that is not weight over height squared', () => {
    expect(violations(miniBundle({ birthDate: '1960-01-15' }, (pid) => [vital(pid, '8867-4', at, 400, '/min')]))[0]).toMatch(/heartRate 400/);
    expect(violations(miniBundle({ birthDate: '1960-01-15' }, (pid) => visit(pid, at, 170, 70, 30)))[0]).toMatch(/is not weight 70 kg/);
  });

  it("flags a BMI percentile that is not the chart's for the BMI recorded with it", () => {
    const expected = bmiPercentileOf(charts, 'male', 12 * 12.4, 20);
    const b = miniBundle({ birthDate: '2003-01-15', gender: 'male' }, (pid) => visit(pid, at, 150, 45, 20, Math.round(expected) - 10));
    expect(violations(b).some((m) => m.startsWith('BMI-for-age percentile'))).toBe(true);
  });
});

describe('clinical.triage-vitals', () => {
  const rule = triageVitals(3);
  const ed = (pid: string, id: string, start: string): Resource => ({
    resourceType: 'Encounter',
    id,
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'EMER' },
    subject: { reference: urn(pid) },
    period: { start, end: start },
  });
  const at = (r: Resource, encounterId: string): Resource => ({ ...r, encounter: { reference: urn(encounterId) } });
  const run = (b: Bundle): string[] => {
    const out: string[] = [];
    rule.check(viewBundle('b.json', b as unknown as CheckedBundle), (_r, m) => out.push(m));
    return out;
  };

  it('passes an emergency visit with heart rate, weight and blood pressure', () => {
    const b = miniBundle({ birthDate: '1950-01-01' }, (pid) => {
      const id = nextId();
      return [ed(pid, id, '2020-05-01T10:00:00Z'), at(vital(pid, '8867-4', '2020-05-01T10:05:00Z', 88, '/min'), id), at(vital(pid, '29463-7', '2020-05-01T10:05:00Z', 80, 'kg'), id), at(bp(pid, '2020-05-01T10:05:00Z', 150, 90), id)];
    });
    expect(run(b)).toEqual([]);
  });

  it('fails a heart attack seen without a blood pressure, and asks none of a toddler', () => {
    const adult = miniBundle({ birthDate: '1950-01-01' }, (pid) => {
      const id = nextId();
      return [ed(pid, id, '2020-05-01T10:00:00Z'), at(vital(pid, '8867-4', '2020-05-01T10:05:00Z', 110, '/min'), id), at(vital(pid, '29463-7', '2020-05-01T10:05:00Z', 80, 'kg'), id)];
    });
    expect(run(adult)).toEqual(['emergency visit without blood pressure']);
    const toddler = miniBundle({ birthDate: '2019-01-01' }, (pid) => {
      const id = nextId();
      return [ed(pid, id, '2020-05-01T10:00:00Z'), at(vital(pid, '8867-4', '2020-05-01T10:05:00Z', 130, '/min'), id)];
    });
    expect(run(toddler)).toEqual(['emergency visit without weight']);
  });
});

import { describe, expect, it } from 'vitest';
import { MS_PER_YEAR, type IsoDate } from '../../src/core/time.js';
import { toSeed } from '../../src/core/random.js';
import { eraChoice } from '../../src/knowledge/availability.js';
import { conditionModules } from '../../src/knowledge/conditions.js';
import { loadDosing } from '../../src/knowledge/dosing.js';
import type { PatientRecord } from '../../src/record/types.js';
import { createCohortContext, simulateIndex } from '../../src/timeline/cohort.js';

const at = (date: string): number => Date.parse(`${date}T12:00:00Z`);
const line = (key: string, n: number) => conditionModules().find((m) => m.key === key)!.medications.find((s) => s.line === n)!.medication;

const REGULAR = '311034';
const NPH = '311028';
const REGULAR_U40 = 'regular-insulin-u40';
const NPH_U40 = 'nph-insulin-u40';
const NPH_ANIMAL = 'nph-insulin-u100-animal';
const REGULAR_ANIMAL = 'regular-insulin-u100-animal';
const HUMULIN_70_30 = '106892';
const TOLBUTAMIDE = '198294';
const GLIPIZIDE = '310490';
const METFORMIN_IR = '861007';
const METFORMIN_ER = '860975';
const DIABETES = new Set(['type1-diabetes', 'type2-diabetes']);

/** The drug `medication` becomes on each date (undefined: none existed yet). */
const erasOf = (medication: ReturnType<typeof line>, dates: readonly string[]): (string | undefined)[] => dates.map((d) => eraChoice(medication, at(d))?.code);

describe('diabetes drugs of their era', () => {
  it('gives type 1 diabetes the insulin of its day: regular from 1923, NPH from 1950 (both U-40 before U-100 in 1973), beef-pork U-100 from 1973, human from 1982, premixed 70/30 from 1989, none before insulin', () => {
    const dates = ['1920-06-01', '1930-06-01', '1960-06-01', '1975-06-01', '1985-06-01', '1995-06-01'];
    expect(erasOf(line('type1-diabetes', 1), dates)).toEqual([undefined, REGULAR_U40, NPH_U40, NPH_ANIMAL, NPH, HUMULIN_70_30]);
  });

  it('starts type 2 diabetes on a sulfonylurea before metformin: tolbutamide from 1958, glipizide from 1984', () => {
    const dates = ['1955-06-01', '1975-06-01', '1990-06-01', '1997-06-01', '2005-06-01'];
    expect(erasOf(line('type2-diabetes', 1), dates)).toEqual([undefined, TOLBUTAMIDE, GLIPIZIDE, METFORMIN_IR, METFORMIN_ER]);
    // The insulin line of a 1975 escalation is beef-pork NPH, of a 1985 one human NPH.
    expect(erasOf(line('type2-diabetes', 3), ['1975-06-01', '1985-06-01'])).toEqual([NPH_ANIMAL, NPH]);
  });

  it('doses every older product as a pharmacy would fill it', () => {
    const d = loadDosing().drugs;
    expect(d[TOLBUTAMIDE]).toMatchObject({ route: 'oral', doses: [{ amount: 1, unit: 'tablet', perDay: 2 }] });
    expect(d[GLIPIZIDE]).toMatchObject({ route: 'oral', doses: [{ amount: 1, unit: 'tablet', perDay: 1, when: ['ACM'] }] });
    expect(d[NPH]!.doses.map((x) => x.amount)).toEqual([20, 10]);
    expect(d[REGULAR]!.doses.map((x) => x.when)).toEqual([['ACM'], ['ACD'], ['ACV']]);
    for (const code of [NPH, REGULAR, NPH_ANIMAL, REGULAR_ANIMAL]) expect(d[code]).toMatchObject({ route: 'subcutaneous', fill: { unit: 'vial', quantity: 3 } });
    expect(d[NPH_ANIMAL]!.doses).toEqual(d[NPH]!.doses);
  });

  it('treats diabetics diagnosed before metformin, each order a drug of its date', () => {
    const ctx = createCohortContext({ seed: toSeed(11), referenceDate: '2025-06-01' as IsoDate, age: { min: 75, max: 100 }, gender: undefined, state: undefined });
    const records: PatientRecord[] = [];
    for (let i = 0; i < 150; i++) records.push(...simulateIndex(ctx, i));
    let early = 0;
    let treated = 0;
    const codes = new Set<string>();
    for (const r of records) {
      for (const c of r.conditions) {
        if (!DIABETES.has(c.key) || c.recorded < at('1923-01-01') || c.recorded >= at('1995-01-01')) continue;
        early++;
        const orders = r.medications.filter((m) => m.conditionId === c.id);
        for (const o of orders) {
          codes.add(o.medication.code);
          expect(eraChoice(o.medication, o.authored)?.code, `${o.medication.display} on ${new Date(o.authored).toISOString()}`).toBe(o.medication.code);
          // Metformin only once it was marketed (a pre-1995 patient may be changed to it later).
          if (o.authored < at('1994-12-29')) expect([METFORMIN_IR, METFORMIN_ER]).not.toContain(o.medication.code);
        }
        if (orders.some((o) => o.authored - c.recorded <= MS_PER_YEAR)) treated++;
        // Type 1 is always treated: insulin at the diagnosis.
        if (c.key === 'type1-diabetes') expect(orders.length, `type 1 diagnosed ${new Date(c.recorded).toISOString()}`).toBeGreaterThan(0);
      }
    }
    expect(early).toBeGreaterThan(5);
    expect(treated / early).toBeGreaterThan(0.5);
    expect([...codes].some((c) => c === TOLBUTAMIDE || c === GLIPIZIDE)).toBe(true);
  });
});

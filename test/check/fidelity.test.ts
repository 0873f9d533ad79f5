import { describe, expect, it } from 'vitest';
import { auditCohort } from '../../src/check/audit.js';
import { ageInYears } from '../../src/check/patient-facts.js';
import { FidelityTargetsSchema, loadFidelityTargets, type FidelityTargets } from '../../src/knowledge/fidelity-targets.js';
import { tempDir } from '../support/cli.js';
import { condition, immunization, medication, labReport, miniBundle, observation, writeCohort, type Bundle } from './builders.js';

/** The shipped measures with a small minimum, so a 60-patient cohort is judged. */
function targets(minDenominator: number): FidelityTargets {
  return FidelityTargetsSchema.parse({ ...loadFidelityTargets(), minDenominator });
}

const ADULT = '1970-03-10';
const CHILD = '2015-08-01';
const HTN = '59621000';
const T2D = '44054006';

/**
 * 40 living adults, 10 living children 2-17, 1 toddler under 2 and 5 deceased adults, with known
 * counts per measure (see the expectations below).
 */
function cohort(): Map<string, Bundle> {
  const bundles = new Map<string, Bundle>();
  let n = 0;
  const add = (b: Bundle): void => void bundles.set(`p${String(n++).padStart(3, '0')}`, b);
  for (let i = 0; i < 40; i++) {
    add(
      miniBundle({ birthDate: ADULT, gender: i % 2 === 0 ? 'female' : 'male' }, (pid) => {
        const out = [];
        // hypertension: 11 active, 4 more resolved before the reference date (not counted), 1 with onset after it.
        if (i < 11) {
          // 8 of them on an antihypertensive, 3 never treated.
          const htn = condition(pid, HTN);
          out.push(htn);
          if (i < 8) out.push(medication(pid, htn.id, '2020-01-02T10:00:00Z'));
        }
        else if (i < 15) out.push(condition(pid, HTN, { status: 'resolved', abatement: '2023-01-01T00:00:00Z' }));
        else if (i === 15) out.push(condition(pid, HTN, { onset: '2025-07-01T00:00:00Z' }));
        // type 2 diabetes: 4 active (i = 20..23); all 40 have an HbA1c, diabetics 8.0, others 5.5.
        const diabetic = i >= 20 && i < 24;
        if (diabetic) out.push(condition(pid, T2D));
        const a1c = observation(pid, '4548-4', '2024-05-01T10:00:00Z', { quantity: diabetic ? 8.0 : 5.5, unit: '%' }, true);
        out.push(a1c, labReport(pid, '2024-05-01T10:00:00Z', [a1c.id]));
        // BMI: latest >= 30 for i < 16; i = 16..19 were obese earlier but not at the latest reading.
        if (i < 16) out.push(observation(pid, '39156-5', '2024-01-01T10:00:00Z', { quantity: 31.2, unit: 'kg/m2' }));
        else if (i < 20) {
          out.push(observation(pid, '39156-5', '2019-01-01T10:00:00Z', { quantity: 34, unit: 'kg/m2' }));
          out.push(observation(pid, '39156-5', '2024-01-01T10:00:00Z', { quantity: 27, unit: 'kg/m2' }));
        } else out.push(observation(pid, '39156-5', '2024-01-01T10:00:00Z', { quantity: 24, unit: 'kg/m2' }));
        // smoking: 6 current at the latest reading; 2 who smoked and quit later; a reading after the reference date is ignored.
        const smoker = '449868002';
        const never = '266919005';
        const former = '8517006';
        if (i < 6) out.push(observation(pid, '72166-2', '2024-01-01T10:00:00Z', { codes: [smoker] }));
        else if (i < 8) {
          out.push(observation(pid, '72166-2', '2015-01-01T10:00:00Z', { codes: [smoker] }));
          out.push(observation(pid, '72166-2', '2024-01-01T10:00:00Z', { codes: [former] }));
        } else if (i === 8) {
          out.push(observation(pid, '72166-2', '2024-01-01T10:00:00Z', { codes: [never] }));
          out.push(observation(pid, '72166-2', '2025-09-01T10:00:00Z', { codes: [smoker] }));
        } else out.push(observation(pid, '72166-2', '2024-01-01T10:00:00Z', { codes: [never] }));
        // asthma: 3 adults; CKD stage 3 code counts as CKD for 2.
        if (i >= 30 && i < 33) out.push(condition(pid, '195967001'));
        if (i >= 33 && i < 35) out.push(condition(pid, '433144002'));
        return out;
      }),
    );
  }
  for (let i = 0; i < 10; i++) {
    add(miniBundle({ birthDate: CHILD }, (pid) => [...(i < 9 ? [immunization(pid, '03', '2016-09-01T10:00:00Z')] : []), ...(i === 0 ? [condition(pid, '195967001')] : [])]));
  }
  add(miniBundle({ birthDate: '2024-09-01' })); // under 2: outside the MMR population, inside asthma's
  for (let i = 0; i < 5; i++) {
    // The deceased count nowhere, whatever they had.
    add(miniBundle({ birthDate: ADULT, deceased: '2024-01-01T00:00:00Z' }, (pid) => [condition(pid, HTN, { onset: '2010-01-01T00:00:00Z' }), condition(pid, '195967001', { onset: '2010-01-01T00:00:00Z' }), observation(pid, '69453-9', '2024-01-01T00:00:00Z', { codes: ['84114007'] })]));
  }
  return bundles;
}

describe('fidelity table', () => {
  it('computes each measure on living patients with known prevalence', async () => {
    const out = tempDir('chartwright-fidelity-');
    writeCohort(out, cohort());
    const report = await auditCohort(out, { targets: targets(10) });
    expect(report.patients).toEqual({ living: 51, deceased: 5 });
    const row = (id: string) => report.fidelity.find((r) => r.id === id)!;
    expect(row('hypertension-adults')).toMatchObject({ numerator: 11, denominator: 40, status: 'fail' }); // 27.5% below 30%
    expect(row('hypertension-adults').value).toBeCloseTo(0.275);
    expect(row('hypertension-untreated')).toMatchObject({ numerator: 3, denominator: 11 });
    expect(row('diabetes-adults')).toMatchObject({ numerator: 4, denominator: 40, status: 'pass' }); // 10% in 8-15%
    expect(row('obesity-adults')).toMatchObject({ numerator: 16, denominator: 40, status: 'pass' }); // 40% in 32-50%
    expect(row('current-smokers-adults')).toMatchObject({ numerator: 6, denominator: 40, status: 'pass' }); // 15% in 8-18%
    expect(row('asthma-all')).toMatchObject({ numerator: 4, denominator: 51, status: 'pass' }); // 7.8% in 5-11%
    expect(row('copd-adults')).toMatchObject({ numerator: 0, denominator: 40, status: 'fail' });
    expect(row('ckd-adults')).toMatchObject({ numerator: 2, denominator: 40, status: 'fail' }); // 5% below 8%
    expect(row('mmr-children')).toMatchObject({ numerator: 9, denominator: 10, status: 'pass' }); // 90% >= 88%
    const gap = row('hba1c-diabetic-gap');
    expect(gap.value).toBeCloseTo(2.5);
    expect(gap.groups).toEqual({ inGroup: { n: 4, mean: 8 }, others: { n: 36, mean: 5.5 } });
    expect(gap.status).toBe('insufficient-data'); // 4 diabetics < minGroupSize 10
    expect(report.ok).toBe(false);
    // The two readings dated after the reference date are left out of the table, and flagged.
    const failed = report.checks.filter((c) => c.status === 'fail');
    expect(failed.map((c) => c.id)).toEqual(['structure.dates-within-life']);
    expect(failed[0]!.examples.map((e) => e.message).sort()).toEqual([
      'effectiveDateTime 2025-09-01T10:00:00Z is after the reference date (2025-06-01)',
      'onsetDateTime 2025-07-01T00:00:00Z is after the reference date (2025-06-01)',
      'recordedDate 2025-07-01T00:00:00Z is after the reference date (2025-06-01)',
    ]);
  });

  it('reports rows under the minimum denominator as insufficient data, not failed', async () => {
    const out = tempDir('chartwright-fidelity-');
    writeCohort(out, cohort());
    const report = await auditCohort(out); // shipped minimum: 200
    expect(report.fidelity.every((r) => r.status === 'insufficient-data')).toBe(true);
    expect(report.fidelity.some((r) => r.status === 'fail')).toBe(false);
  });

  it('computes ages in whole years at the reference date', () => {
    expect(ageInYears('2007-06-01', '2025-06-01')).toBe(18);
    expect(ageInYears('2007-06-02', '2025-06-01')).toBe(17);
    expect(ageInYears('2024-02-29', '2025-02-28')).toBe(0);
  });
});

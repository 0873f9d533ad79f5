import { describe, expect, it } from 'vitest';
import type { CheckedBundle } from '../../src/check/bundle-source.js';
import { viewBundle } from '../../src/check/bundle-view.js';
import type { CheckRule } from '../../src/check/rule.js';
import { allRules } from '../../src/check/rules.js';
import { condition, miniBundle, nextId, observation, procedure, urn, type Bundle, type Resource } from './builders.js';

const rule = (id: string): CheckRule => allRules().find((r) => r.id === id)!;
const kidney = rule('clinical.kidney-failure-pathway');
const cancer = rule('clinical.cancer-pathway');
const endStage = rule('clinical.dialysis-end-stage');

function violations(r: CheckRule, b: Bundle): string[] {
  const out: string[] = [];
  r.check(viewBundle('b.json', b as unknown as CheckedBundle), (_x, m) => out.push(m));
  return out;
}

function encounter(pid: string, at: string, reasonId: string, practitionerId?: string): Resource {
  return {
    resourceType: 'Encounter',
    id: nextId(),
    status: 'finished',
    class: { code: 'AMB' },
    subject: { reference: urn(pid) },
    period: { start: at, end: at },
    reasonReference: [{ reference: urn(reasonId) }],
    ...(practitionerId === undefined ? {} : { participant: [{ individual: { reference: urn(practitionerId) } }] }),
  };
}

const egfr = (pid: string, at: string, value: number): Resource => observation(pid, '98979-8', at, { quantity: value, unit: 'mL/min/{1.73_m2}' }, true);

describe('clinical.kidney-failure-pathway', () => {
  it('flags an eGFR below 15 a year before the chart ends with no nephrology, dialysis or decision', () => {
    const b = miniBundle({ birthDate: '1950-01-01' }, (pid) => [egfr(pid, '2024-01-10T10:00:00Z', 12)]);
    expect(violations(kidney, b)).toHaveLength(1);
  });

  it('accepts hemodialysis, a conservative-care decision or a nephrologist encounter, and a failure too recent to act on', () => {
    const withProcedure = (code: string): Bundle =>
      miniBundle({ birthDate: '1950-01-01' }, (pid) => [egfr(pid, '2024-01-10T10:00:00Z', 12), procedure(pid, code, '2024-03-01T10:00:00Z')]);
    expect(violations(kidney, withProcedure('302497006'))).toEqual([]);
    expect(violations(kidney, withProcedure('103735009'))).toEqual([]);
    expect(violations(kidney, withProcedure('29303009'))).toHaveLength(1); // an ECG is not kidney care
    const nephrologist: Resource = { resourceType: 'Practitioner', id: nextId(), qualification: [{ code: { coding: [{ system: 'http://nucc.org/provider-taxonomy', code: '207RN0300X' }] } }] };
    const seen = miniBundle({ birthDate: '1950-01-01' }, (pid) => {
      const ckd = condition(pid, '433146000');
      return [ckd, nephrologist, egfr(pid, '2024-01-10T10:00:00Z', 12), encounter(pid, '2024-02-01T10:00:00Z', ckd.id, nephrologist.id)];
    });
    expect(violations(kidney, seen)).toEqual([]);
    const recent = miniBundle({ birthDate: '1950-01-01' }, (pid) => [egfr(pid, '2025-04-01T10:00:00Z', 12)]);
    expect(violations(kidney, recent)).toEqual([]);
  });
});

describe('clinical.dialysis-end-stage', () => {
  it('flags a dialysis-dependent patient whose CKD entry went back to stage 4, not ESRD or a patient off dialysis', () => {
    const make = (ckd: string, dependence = 'active'): Bundle =>
      miniBundle({ birthDate: '1950-01-01' }, (pid) => [condition(pid, ckd), condition(pid, '105502003', { status: dependence })]);
    expect(violations(endStage, make('431857002'))).toEqual([expect.stringContaining('stage 4')]);
    expect(violations(endStage, make('46177005'))).toEqual([]);
    expect(violations(endStage, make('431857002', 'resolved'))).toEqual([]);
  });
});

describe('clinical.cancer-pathway', () => {
  const BREAST = '254837009';
  const BREAST_BIOPSY = '122548005';
  it('flags a breast cancer with no biopsy, stage or treatment, naming each gap', () => {
    const b = miniBundle({ birthDate: '1960-01-01' }, (pid) => [condition(pid, BREAST, { onset: '2022-03-01T10:00:00Z' })]);
    const [m] = violations(cancer, b);
    expect(m).toMatch(/no biopsy, stage, treatment or oncology follow-up/);
  });

  it('accepts a biopsied, staged and operated cancer, and says which part is missing when one is', () => {
    const chart = (staged: boolean, treated: boolean): Bundle =>
      miniBundle({ birthDate: '1960-01-01' }, (pid) => {
        const c = condition(pid, BREAST, { onset: '2022-03-01T10:00:00Z' });
        if (staged) c['stage'] = [{ summary: { coding: [{ system: 'http://snomed.info/sct', code: '258215001' }] } }];
        const out = [c, procedure(pid, BREAST_BIOPSY, '2022-03-08T10:00:00Z', c.id)];
        if (treated) out.push(procedure(pid, '392021009', '2022-04-20T10:00:00Z', c.id));
        return out;
      });
    expect(violations(cancer, chart(true, true))).toEqual([]);
    expect(violations(cancer, chart(false, true))[0]).toMatch(/has no stage$/);
    expect(violations(cancer, chart(true, false))[0]).toMatch(/has no treatment or oncology follow-up$/);
  });

  it('leaves a cancer diagnosed in the last months alone', () => {
    const b = miniBundle({ birthDate: '1960-01-01' }, (pid) => [condition(pid, BREAST, { onset: '2025-03-01T10:00:00Z' })]);
    expect(violations(cancer, b)).toEqual([]);
  });
});

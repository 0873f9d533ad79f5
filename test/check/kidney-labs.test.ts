import { describe, expect, it } from 'vitest';
import type { CheckedBundle } from '../../src/check/bundle-source.js';
import { viewBundle } from '../../src/check/bundle-view.js';
import { carePlanCondition } from '../../src/check/care-plans.js';
import { ckdStageEgfr, egfrMatchesCreatinine } from '../../src/check/kidney.js';
import { labInterpretation } from '../../src/check/lab-interpretation.js';
import type { CheckRule } from '../../src/check/rule.js';
import { anachronism } from '../../src/check/anachronism.js';
import { ckdEpi2009, ckdEpi2021, mdrd } from '../../src/knowledge/kidney.js';
import { condition, entry, nextId, urn, type Bundle, type Resource } from './builders.js';

const LOINC = 'http://loinc.org';
const INTERPRETATION = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';

function lab(patientId: string, code: string, value: number, low: number, high: number, flag: string, when = '2024-05-01T15:00:00Z'): Resource {
  return {
    resourceType: 'Observation',
    id: nextId(),
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
    code: { coding: [{ system: LOINC, code }] },
    subject: { reference: urn(patientId) },
    effectiveDateTime: when,
    valueQuantity: { value, unit: 'x', system: 'http://unitsofmeasure.org', code: 'x' },
    interpretation: [{ coding: [{ system: INTERPRETATION, code: flag }] }],
    referenceRange: [{ low: { value: low }, high: { value: high } }],
  };
}

function report(patientId: string, results: Resource[]): Resource {
  return {
    resourceType: 'DiagnosticReport',
    id: nextId(),
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'LAB' }] }],
    code: { coding: [{ system: LOINC, code: '51990-0' }] },
    subject: { reference: urn(patientId) },
    effectiveDateTime: results[0]!.effectiveDateTime,
    result: results.map((r) => ({ reference: urn(r.id) })),
  };
}

/** A 60-year-old woman's bundle with the given clinical resources. */
function bundle(make: (pid: string) => Resource[]): Bundle {
  const patient: Resource = { resourceType: 'Patient', id: nextId(), gender: 'female', birthDate: '1964-01-15' };
  const resources = [patient, ...make(patient.id)];
  return { resourceType: 'Bundle', id: nextId(), type: 'transaction', timestamp: '2025-06-01T00:00:00Z', entry: resources.map(entry) };
}

function violations(rule: CheckRule, b: Bundle): string[] {
  const out: string[] = [];
  rule.check(viewBundle('b.json', b as unknown as CheckedBundle), (_r, message) => out.push(message));
  return out;
}

const bmp = (pid: string, creatinine: number, egfr: number, code = '98979-8', when?: string): Resource[] => {
  const c = lab(pid, '2160-0', creatinine, 0.59, 1.04, creatinine > 1.04 ? 'H' : 'N', when);
  const e = lab(pid, code, egfr, 60, 200, egfr < 60 ? 'L' : 'N', when);
  return [report(pid, [c, e]), c, e];
};

describe('kidney and lab-flag rules on broken bundles', () => {
  const good = Math.round(ckdEpi2021(1.4, 60, 'female'));

  it('accept a coherent CKD stage 3 chart', () => {
    const b = bundle((pid) => [condition(pid, '433144002'), ...bmp(pid, 1.4, good)]);
    expect(good).toBeGreaterThanOrEqual(30);
    expect(good).toBeLessThan(60);
    for (const rule of [ckdStageEgfr, egfrMatchesCreatinine, labInterpretation]) expect(violations(rule, b), rule.id).toEqual([]);
  });

  it('clinical.ckd-stage-egfr catches a stage that the latest eGFR contradicts', () => {
    const b = bundle((pid) => [condition(pid, '431857002'), ...bmp(pid, 1.4, good)]);
    expect(violations(ckdStageEgfr, b)).toEqual([expect.stringContaining('says stage 4')]);
    const none = bundle((pid) => [condition(pid, '433144002')]);
    expect(violations(ckdStageEgfr, none)).toEqual([]);
    const resolved = bundle((pid) => [condition(pid, '431857002', { status: 'resolved', abatement: '2023-01-01T00:00:00Z' }), ...bmp(pid, 1.4, good)]);
    expect(violations(ckdStageEgfr, resolved)).toEqual([]);
  });

  it('reads an eGFR by the equation its code names (MDRD, CKD-EPI 2009), staging by any of them', () => {
    const byMdrd = Math.round(mdrd(1.4, 52, 'female'));
    const by2009 = Math.round(ckdEpi2009(1.4, 57, 'female'));
    expect(Math.abs(byMdrd - Math.round(ckdEpi2021(1.4, 52, 'female')))).toBeGreaterThan(2);
    const mdrdChart = bundle((pid) => [condition(pid, '433144002'), ...bmp(pid, 1.4, byMdrd, '33914-3', '2016-05-01T15:00:00Z')]);
    const epi2009Chart = bundle((pid) => [condition(pid, '433144002'), ...bmp(pid, 1.4, by2009, '62238-1', '2021-05-01T15:00:00Z')]);
    for (const b of [mdrdChart, epi2009Chart]) for (const rule of [ckdStageEgfr, egfrMatchesCreatinine]) expect(violations(rule, b), rule.id).toEqual([]);
    // The CKD-EPI 2021 value under the MDRD code is caught: the code names the equation.
    const mislabelled = bundle((pid) => bmp(pid, 1.4, Math.round(ckdEpi2021(1.4, 52, 'female')), '33914-3', '2016-05-01T15:00:00Z'));
    expect(violations(egfrMatchesCreatinine, mislabelled)).toEqual([expect.stringContaining('mdrd gives')]);
    // And the CKD-EPI 2021 code before the equation existed is an anachronism.
    const early = bundle((pid) => bmp(pid, 1.4, Math.round(ckdEpi2021(1.4, 52, 'female')), '98979-8', '2016-05-01T15:00:00Z'));
    expect(violations(anachronism, early)).toEqual([expect.stringContaining('CKD-EPI 2021) used on 2016-05-01')]);
  });

  it('clinical.egfr-creatinine catches an eGFR that does not follow from the creatinine', () => {
    const b = bundle((pid) => bmp(pid, 1.4, good + 15));
    expect(violations(egfrMatchesCreatinine, b)).toEqual([expect.stringContaining('does not follow from creatinine 1.4')]);
  });

  it('clinical.lab-interpretation catches a flag that contradicts the value', () => {
    const b = bundle((pid) => [lab(pid, '2823-3', 5.9, 3.5, 5.1, 'N'), lab(pid, '2823-3', 3.1, 3.5, 5.1, 'H'), lab(pid, '2823-3', 4.2, 3.5, 5.1, 'N')]);
    expect(violations(labInterpretation, b)).toEqual([expect.stringContaining('flagged N, expected H'), expect.stringContaining('flagged H, expected L')]);
  });

  it('clinical.careplan-condition catches an active plan for a resolved condition and a dangling goal', () => {
    const plan = (pid: string, conditionId: string, status: string): Resource => ({
      resourceType: 'CarePlan', id: nextId(), status, intent: 'plan', subject: { reference: urn(pid) }, addresses: [{ reference: urn(conditionId) }],
    });
    const ok = bundle((pid) => {
      const c = condition(pid, '44054006');
      return [c, plan(pid, c.id, 'active')];
    });
    expect(violations(carePlanCondition, ok)).toEqual([]);
    const broken = bundle((pid) => {
      const c = condition(pid, '195967001', { status: 'resolved', abatement: '2022-01-01T00:00:00Z' });
      const goal: Resource = { resourceType: 'Goal', id: nextId(), lifecycleStatus: 'completed', subject: { reference: urn(pid) }, addresses: [{ reference: urn(nextId()) }] };
      return [c, plan(pid, c.id, 'active'), plan(pid, c.id, 'completed'), goal];
    });
    expect(violations(carePlanCondition, broken)).toEqual([expect.stringContaining('is active but'), expect.stringContaining('does not resolve')]);
  });
});

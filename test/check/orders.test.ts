import { describe, expect, it } from 'vitest';
import type { CheckedBundle } from '../../src/check/bundle-source.js';
import { viewBundle } from '../../src/check/bundle-view.js';
import { allergyOrderConflict, dosageComplete, labContraindication } from '../../src/check/orders.js';
import type { CheckRule } from '../../src/check/rule.js';
import { medicationRequestResource } from '../../src/fhir/medication-request.js';
import { MetaFactory } from '../../src/fhir/meta.js';
import { loadContraindications } from '../../src/knowledge/contraindications.js';
import { loadDrugAllergies } from '../../src/knowledge/drug-allergies.js';
import { condition, medication, miniBundle, nextId, observation, urn, type Bundle, type Resource } from './builders.js';

const meta = new MetaFactory('0123456789abcdef');
const RX = 'http://www.nlm.nih.gov/research/umls/rxnorm';

function violations(rule: CheckRule, b: Bundle): string[] {
  const out: string[] = [];
  rule.check(viewBundle('b.json', b as unknown as CheckedBundle), (_r, message) => out.push(message));
  return out;
}

/** A MedicationRequest as the exporter writes it, for the drug `code`. */
function order(pid: string, reasonId: string, code: string, authored: string, extra: { end?: string; courseDays?: number } = {}): Resource {
  const r = medicationRequestResource(
    {
      id: nextId(),
      medication: { system: RX, code, display: code },
      conditionId: reasonId,
      encounterId: nextId(),
      practitionerId: nextId(),
      authored: Date.parse(authored),
      status: extra.end === undefined ? 'active' : 'stopped',
      end: extra.end === undefined ? undefined : Date.parse(extra.end),
      ...(extra.courseDays === undefined ? {} : { courseDays: extra.courseDays }),
    },
    pid,
    meta,
  );
  return { ...(r as unknown as Resource), subject: { reference: urn(pid) } };
}

function allergy(pid: string, snomed: string, onset: string, status = 'active'): Resource {
  return {
    resourceType: 'AllergyIntolerance',
    id: nextId(),
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: status }] },
    verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code: 'confirmed' }] },
    code: { coding: [{ system: 'http://snomed.info/sct', code: snomed }] },
    patient: { reference: urn(pid) },
    onsetDateTime: onset,
    recordedDate: onset,
  };
}

describe('clinical.dosage-complete', () => {
  it('accepts orders as the exporter writes them and catches "take as directed"', () => {
    const good = miniBundle({ birthDate: '1960-01-01' }, (pid) => {
      const c = condition(pid, '59621000');
      return [c, order(pid, c.id, '314076', '2020-01-01T10:00:00Z'), order(pid, c.id, '308182', '2021-01-01T10:00:00Z', { courseDays: 10 })];
    });
    expect(violations(dosageComplete, good)).toEqual([]);
    const bare = miniBundle({ birthDate: '1960-01-01' }, (pid) => {
      const c = condition(pid, '59621000');
      const { dispenseRequest: _fill, ...m } = medication(pid, c.id, '2020-01-01T10:00:00Z');
      return [c, { ...m, dosageInstruction: [{ text: 'Take as directed', timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd' } } }] }];
    });
    expect(violations(dosageComplete, bare)).toEqual([expect.stringMatching(/lacks route, dose quantity, as-needed flag, dispense quantity, refills, expected supply/)]);
    const none = miniBundle({ birthDate: '1960-01-01' }, (pid) => {
      const { dosageInstruction: _d, ...m } = medication(pid, nextId(), '2020-01-01T10:00:00Z');
      return [m as Resource];
    });
    expect(violations(dosageComplete, none)).toEqual(['has no dosageInstruction']);
  });

  it('catches a validity period standing in for decades of therapy', () => {
    const b = miniBundle({ birthDate: '1960-01-01' }, (pid) => {
      const c = condition(pid, '59621000');
      const r = order(pid, c.id, '314076', '1990-01-01T10:00:00Z');
      (r['dispenseRequest'] as { validityPeriod: unknown }).validityPeriod = { start: '1990-01-01T10:00:00Z', end: '2052-01-01T10:00:00Z' };
      return [c, r];
    });
    expect(violations(dosageComplete, b)).toEqual([expect.stringContaining('more than a year')]);
  });
});

describe('clinical.allergy-order-conflict', () => {
  const rule = allergyOrderConflict(loadDrugAllergies());
  it('catches amoxicillin for a penicillin-allergic patient, not before the allergy or once it resolved', () => {
    const make = (onset: string, status = 'active'): Bundle =>
      miniBundle({ birthDate: '1980-01-01' }, (pid) => {
        const c = condition(pid, '43878008');
        return [c, allergy(pid, '373270004', onset, status), order(pid, c.id, '308182', '2020-01-01T10:00:00Z', { courseDays: 10 })];
      });
    expect(violations(rule, make('2010-05-01T00:00:00Z'))).toEqual([expect.stringContaining('allergic to penicillin')]);
    expect(violations(rule, make('2021-05-01T00:00:00Z'))).toEqual([]);
    expect(violations(rule, make('2010-05-01T00:00:00Z', 'resolved'))).toEqual([]);
    const azithro = miniBundle({ birthDate: '1980-01-01' }, (pid) => {
      const c = condition(pid, '43878008');
      return [c, allergy(pid, '373270004', '2010-05-01T00:00:00Z'), order(pid, c.id, '141962', '2020-01-01T10:00:00Z', { courseDays: 5 })];
    });
    expect(violations(rule, azithro)).toEqual([]);
  });

  it('catches daily aspirin for coronary disease in an aspirin- or NSAID-allergic patient, not clopidogrel', () => {
    const make = (allergen: string, drug: string): Bundle =>
      miniBundle({ birthDate: '1950-01-01' }, (pid) => {
        const c = condition(pid, '53741008');
        return [c, allergy(pid, allergen, '2000-05-01T00:00:00Z'), order(pid, c.id, drug, '2020-01-01T10:00:00Z')];
      });
    expect(violations(rule, make('387458008', '243670'))).toEqual([expect.stringContaining('allergic to aspirin')]);
    expect(violations(rule, make('372665008', '243670'))).toEqual([expect.stringContaining('allergic to NSAIDs')]);
    expect(violations(rule, make('387458008', '309362'))).toEqual([]);
  });
});

describe('clinical.lab-contraindication', () => {
  const rule = labContraindication(loadContraindications(), (lab) => new Set(lab === 'egfr' ? ['98979-8', '62238-1'] : []));
  const egfr = (pid: string, at: string, value: number): Resource => observation(pid, '98979-8', at, { quantity: value, unit: 'mL/min/{1.73_m2}' }, true);

  it('catches metformin continued past an eGFR below 30, and metformin started after one', () => {
    const continued = miniBundle({ birthDate: '1950-01-01' }, (pid) => {
      const c = condition(pid, '44054006');
      return [c, order(pid, c.id, '860975', '2015-01-01T10:00:00Z'), egfr(pid, '2016-01-01T10:00:00Z', 42), egfr(pid, '2020-01-01T10:00:00Z', 24)];
    });
    expect(violations(rule, continued)).toEqual([expect.stringContaining('continued past egfr 24')]);
    const started = miniBundle({ birthDate: '1950-01-01' }, (pid) => {
      const c = condition(pid, '44054006');
      return [c, egfr(pid, '2019-01-01T10:00:00Z', 22), order(pid, c.id, '860975', '2019-03-01T10:00:00Z')];
    });
    expect(violations(rule, started)).toEqual([expect.stringContaining('ordered after egfr 22')]);
  });

  it('accepts metformin stopped the day the low eGFR came back', () => {
    const stopped = miniBundle({ birthDate: '1950-01-01' }, (pid) => {
      const c = condition(pid, '44054006');
      return [c, order(pid, c.id, '860975', '2015-01-01T10:00:00Z', { end: '2020-01-01T10:00:00Z' }), egfr(pid, '2020-01-01T10:00:00Z', 24)];
    });
    expect(violations(rule, stopped)).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import type { CheckedBundle } from '../../src/check/bundle-source.js';
import { viewBundle } from '../../src/check/bundle-view.js';
import { anachronism } from '../../src/check/anachronism.js';
import { assertComplete, assertValueModels, availability, eraChoice, indexAvailability, periodOf } from '../../src/knowledge/availability.js';
import { VITAL_CODES } from '../../src/record/vital-codes.js';
import { condition, immunization, labReport, medication, miniBundle, observation, procedure, type Bundle, type Resource } from './builders.js';

const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const at = (date: string): number => Date.parse(`${date}T12:00:00Z`);
const rx = (code: string): { system: string; code: string; display: string } => ({ system: RXNORM, code, display: 'd' });

function violations(b: Bundle): string[] {
  const out: string[] = [];
  anachronism.check(viewBundle('b.json', b as unknown as CheckedBundle), (_r, m) => out.push(m));
  return out;
}

function apixaban(pid: string, reason: string, authoredOn: string): Resource {
  const m = medication(pid, reason, authoredOn);
  m['medicationCodeableConcept'] = { coding: [{ system: RXNORM, code: '1364445', display: 'apixaban 5 MG Oral Tablet' }] };
  return m;
}

describe('clinical.anachronism', () => {
  it('flags apixaban in 1985 and passes it in 2015', () => {
    const old = miniBundle({ birthDate: '1920-01-01' }, (pid) => {
      const af = condition(pid, '49436004', { onset: '1984-01-01T10:00:00Z' });
      return [af, apixaban(pid, af.id, '1985-03-01T10:00:00Z')];
    });
    expect(violations(old)).toHaveLength(1);
    expect(violations(old)[0]).toMatch(/apixaban 5 MG Oral Tablet used on 1985-03-01, outside its availability \(from 2012-12-28/);
    const recent = miniBundle({ birthDate: '1940-01-01' }, (pid) => {
      const af = condition(pid, '49436004', { onset: '2014-01-01T10:00:00Z' });
      return [af, apixaban(pid, af.id, '2015-03-01T10:00:00Z')];
    });
    expect(violations(recent)).toEqual([]);
  });

  it('flags a diagnosis named before its term existed (prediabetes in 1990) and a goal on a test of a later era (HbA1c in 1975)', () => {
    const b = (prediabetes: string, code: string, goalStart: string): Bundle =>
      miniBundle({ birthDate: '1930-01-01' }, (pid) => {
        const dm = condition(pid, '44054006', { onset: '1970-01-01T10:00:00Z' });
        const goal: Resource = {
          resourceType: 'Goal',
          id: `goal-${goalStart}`,
          lifecycleStatus: 'active',
          description: { text: 'Hemoglobin A1c below 7 %' },
          subject: { reference: `urn:uuid:${pid}` },
          startDate: goalStart,
          target: [{ measure: { coding: [{ system: 'http://loinc.org', code: '4548-4', display: 'Hemoglobin A1c/Hemoglobin.total in Blood' }] }, detailQuantity: { value: 7, unit: '%' } }],
          addresses: [{ reference: `urn:uuid:${dm.id}` }],
        };
        return [dm, condition(pid, code, { onset: `${prediabetes}T10:00:00Z` }), goal];
      });
    expect(violations(b('1990-05-01', '714628002', '1975-03-01'))).toEqual([
      expect.stringMatching(/Prediabetes \(finding\) used on 1990-05-01, outside its availability \(from 2002-04-01/),
      expect.stringMatching(/Hemoglobin A1c\/Hemoglobin.total in Blood used on 1975-03-01, outside its availability \(from 1980-01-01/),
    ]);
    // The era's names: impaired glucose tolerance in 1990, an HbA1c goal in 1985.
    expect(violations(b('1990-05-01', '9414007', '1985-03-01'))).toEqual([]);
  });

  it('flags a procedure (SNOMED CT) before its date: low-dose CT lung screening in 2005, not in 2015', () => {
    const b = (date: string): Bundle => miniBundle({ birthDate: '1950-01-01' }, (pid) => [procedure(pid, '16334891000119106', `${date}T10:00:00Z`)]);
    expect(violations(b('2005-04-01'))).toEqual([expect.stringMatching(/Low dose computed tomography of thorax used on 2005-04-01, outside its availability \(from 2013-12-31: USPSTF/)]);
    expect(violations(b('2015-04-01'))).toEqual([]);
  });

  it('flags a lab or vital-sign method (LOINC) before its date: pulse oximetry in 1975, HbA1c in 1970', () => {
    const old = miniBundle({ birthDate: '1930-01-01' }, (pid) => {
      const a1c = observation(pid, '4548-4', '1970-05-01T10:00:00Z', { quantity: 7.1, unit: '%' }, true);
      return [observation(pid, '59408-5', '1975-05-01T10:00:00Z', { quantity: 97, unit: '%' }), a1c, labReport(pid, '1970-05-01T10:00:00Z', [a1c.id])];
    });
    const found = violations(old);
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(/Pulse oximetry used on 1975-05-01, outside its availability \(from 1987-01-01/);
    expect(found.slice(1).every((m) => /Hemoglobin A1c\/Hemoglobin.total in Blood used on 1970-05-01/.test(m))).toBe(true);
    const recent = miniBundle({ birthDate: '1930-01-01' }, (pid) => [observation(pid, '59408-5', '1995-05-01T10:00:00Z', { quantity: 97, unit: '%' })]);
    expect(violations(recent)).toEqual([]);
  });

  it('flags a vaccine (CVX) outside its licensure: Shingrix in 2010, live zoster after its 2020 withdrawal', () => {
    const b = (cvx: string, date: string): Bundle => miniBundle({ birthDate: '1940-01-01' }, (pid) => [immunization(pid, cvx, `${date}T10:00:00Z`)]);
    expect(violations(b('187', '2010-03-01'))).toEqual([expect.stringMatching(/zoster recombinant used on 2010-03-01, outside its availability \(from 2017-10-20/)]);
    expect(violations(b('121', '2022-03-01'))).toEqual([expect.stringMatching(/zoster live used on 2022-03-01, outside its availability \(from 2006-05-25 until 2020-11-19/)]);
    expect(violations(b('187', '2019-03-01'))).toEqual([]);
  });
});

describe('eras as data', () => {
  it("gives each date its era's drug: warfarin before apixaban, metformin IR before ER, a sulfonylurea before metformin, nothing before tolbutamide", () => {
    expect(eraChoice(rx('1364445'), at('2020-01-01'))?.code).toBe('1364445');
    expect(eraChoice(rx('1364445'), at('2000-01-01'))?.code).toBe('855332');
    expect(eraChoice(rx('860975'), at('1997-01-01'))?.code).toBe('861007');
    expect(eraChoice(rx('860975'), at('1990-01-01'))?.code).toBe('310490'); // glipizide, 1984
    expect(eraChoice(rx('860975'), at('1980-01-01'))?.code).toBe('198294'); // tolbutamide, 1958
    expect(eraChoice(rx('860975'), at('1950-01-01'))).toBeUndefined();
    expect(eraChoice(rx('745679'), at('1926-01-01'))).toBeUndefined(); // no albuterol inhaler in 1926
  });

  it('loads only when every prescribable drug has a period, and refuses a dangling alternative', () => {
    expect(availability().size).toBeGreaterThan(35);
    const item = { system: 'rxnorm' as const, code: '1', display: 'x', from: '2000-01-01', source: 's', alternatives: ['2'] };
    expect(() => indexAvailability({ source: 's', items: [item] })).toThrow(/alternative 2 of 1 has no entry/);
    expect(() => indexAvailability({ source: 's', items: [{ ...item, alternatives: [] }, { ...item, alternatives: [] }] })).toThrow(/twice/);
  });

  it('picks the era method of a lab, procedure or vaccine, or none', () => {
    const loinc = (code: string) => ({ system: 'http://loinc.org', code, display: 'd' });
    const cvx = (code: string) => ({ system: 'http://hl7.org/fhir/sid/cvx', code, display: 'd' });
    expect(eraChoice(loinc('57698-3'), at('2010-01-01'))?.code).toBe('57698-3'); // lipid panel with direct LDL
    expect(eraChoice(loinc('57698-3'), at('1985-01-01'))?.code).toBe('24331-1'); // calculated-LDL panel (Friedewald)
    expect(eraChoice(loinc('18262-6'), at('1985-01-01'))?.code).toBe('13457-7');
    expect(eraChoice(loinc('57698-3'), at('1965-01-01'))).toBeUndefined();
    expect(eraChoice(loinc('4548-4'), at('1970-01-01'))?.code).toBe('1558-6'); // no HbA1c: the fasting glucose
    expect(periodOf('http://loinc.org', '4548-4')?.substitute).toBe('value-model');
    expect(eraChoice(loinc('4548-4'), at('1915-01-01'))).toBeUndefined();
    expect(eraChoice(loinc('58410-2'), at('1950-01-01'))?.code).toBe('24358-4'); // manual hemogram before the Coulter counter
    expect(eraChoice(loinc('777-3'), at('1950-01-01'))).toBeUndefined(); // no platelet count in it
    expect(eraChoice({ system: 'http://snomed.info/sct', code: '16334891000119106', display: 'd' }, at('2008-01-01'))).toBeUndefined();
    expect(eraChoice(cvx('133'), at('2005-01-01'))?.code).toBe('100'); // PCV7 before PCV13
    expect(eraChoice(cvx('187'), at('2012-01-01'))?.code).toBe('121'); // Zostavax before Shingrix
    expect(eraChoice(cvx('187'), at('2003-01-01'))).toBeUndefined();
  });

  it('fails to load when a procedure, lab code or vaccine the knowledge can emit has no period', () => {
    const full = availability();
    for (const key of ['http://snomed.info/sct|16334891000119106', 'http://loinc.org|4548-4', 'http://hl7.org/fhir/sid/cvx|187']) {
      const partial = new Map([...full].filter(([k]) => k !== key));
      expect(() => assertComplete(partial)).toThrow(new RegExp(`no period for ${key.split('|')[1]} `));
    }
    expect(() => assertComplete(full)).not.toThrow();
  });

  it('fails to load when a value-model substitute has no model in labs.json', () => {
    const full = availability();
    expect(() => assertValueModels(full)).not.toThrow();
    expect(() => assertValueModels(full, [])).toThrow(/no labs.json value model for the substitute 4548-4 -> 1558-6/);
  });

  it('gives every vital-sign code the FHIR layer writes a period', () => {
    const missing = Object.values(VITAL_CODES).flat().filter((c) => periodOf('http://loinc.org', c.code) === undefined);
    expect(missing).toEqual([]);
  });
});

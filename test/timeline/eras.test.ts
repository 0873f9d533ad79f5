import { describe, expect, it } from 'vitest';
import type { EncounterId, PractitionerId } from '../../src/record/types.js';
import { eraChoice } from '../../src/knowledge/availability.js';
import { eraValueModel } from '../../src/knowledge/labs.js';
import { ofTheirEra } from '../../src/timeline/eras.js';
import { ITEM_LISTS, type RecordItems } from '../../src/timeline/fragment.js';

const at = (date: string): number => Date.parse(`${date}T12:00:00Z`);
const enc = 'e1' as EncounterId;
const doc = 'p1' as PractitionerId;
const loinc = (code: string) => ({ system: 'http://loinc.org', code, display: code });

function items(date: string): RecordItems {
  const t = at(date);
  const empty = Object.fromEntries(ITEM_LISTS.map((k) => [k, []])) as unknown as RecordItems;
  return {
    ...empty,
    vitals: [
      { id: 'v1', kind: 'heartRate', encounterId: enc, time: t, value: 72 },
      { id: 'v2', kind: 'oxygenSaturation', encounterId: enc, time: t, value: 98 },
    ],
    labReports: [
      {
        id: 'r1',
        code: loinc('57698-3'),
        encounterId: enc,
        practitionerId: doc,
        time: t,
        results: [
          { id: 'x1', code: loinc('2093-3'), value: 190, unit: 'mg/dL', low: 0, high: 200 },
          { id: 'x2', code: loinc('18262-6'), value: 110, unit: 'mg/dL', low: 0, high: 100 },
        ],
      },
      { id: 'r2', code: loinc('4548-4'), encounterId: enc, practitionerId: doc, time: t, results: [{ id: 'x3', code: loinc('4548-4'), value: 7, unit: '%', low: 4, high: 5.6 }] },
    ],
    procedures: [
      { id: 'p1', code: { system: 'http://snomed.info/sct', code: '16334891000119106', display: 'LDCT' }, encounterId: enc, practitionerId: doc, start: t, end: t, reasonConditionId: undefined },
    ],
    immunizations: [{ id: 'i1', encounterId: enc, time: t, vaccine: { system: 'http://hl7.org/fhir/sid/cvx', code: '133', display: 'PCV13' }, doseNumber: 1 }],
  };
}

/** An automated CBC of the day (the engine's cbc panel: hemoglobin, hematocrit, WBC, platelets). */
function cbc(date: string): RecordItems {
  const empty = Object.fromEntries(ITEM_LISTS.map((k) => [k, []])) as unknown as RecordItems;
  const results = [
    { id: 'c1', code: loinc('718-7'), value: 14.1, unit: 'g/dL', low: 13.2, high: 16.6 },
    { id: 'c2', code: loinc('4544-3'), value: 41.6, unit: '%', low: 38.3, high: 48.6 },
    { id: 'c3', code: loinc('6690-2'), value: 7.2, unit: '10*3/uL', low: 3.4, high: 9.6 },
    { id: 'c4', code: loinc('777-3'), value: 251, unit: '10*3/uL', low: 135, high: 317 },
  ];
  return { ...empty, labReports: [{ id: 'r9', code: loinc('58410-2'), encounterId: enc, practitionerId: doc, time: at(date), results }] };
}

describe('records of their era', () => {
  it('charts a 1950 blood count as the manual hemogram: hemocytometer WBC, spun hematocrit, no platelet count', () => {
    const [report] = ofTheirEra(cbc('1950-05-10')).labReports;
    expect(report!.code.code).toBe('24358-4');
    expect(report!.results.map((r) => [r.code.code, r.value])).toEqual([
      ['718-7', 14.1],
      ['4545-0', 41.6],
      ['804-5', 7.2],
    ]);
    expect(report!.results[2]!.code.display).toBe('Leukocytes [#/volume] in Blood by Manual count');
    // From the Coulter counter on, the automated count as drawn.
    expect(ofTheirEra(cbc('1960-05-10')).labReports[0]!.results.map((r) => r.code.code)).toEqual(['718-7', '4544-3', '6690-2', '777-3']);
  });

  it('leaves out an HbA1c that reaches the era pass before 1980 rather than relabel its value as a glucose', () => {
    const out = ofTheirEra(items('1975-03-01'));
    expect(out.labReports.flatMap((r) => r.results.map((x) => x.code.code))).not.toContain('1558-6');
    expect(eraChoice(loinc('4548-4'), at('1975-03-01'))?.code).toBe('1558-6');
    // The value model the engine charts it by instead: the ADAG line, 28.7 x 7.0 - 46.7 = 154 mg/dL.
    expect(eraValueModel('4548-4', '1558-6')?.valueOf(7)).toBe(154);
  });

  it('keeps a 2020 record as it is', () => {
    const now = items('2020-03-01');
    const out = ofTheirEra(now);
    expect(out.vitals.map((v) => v.kind)).toEqual(['heartRate', 'oxygenSaturation']);
    expect(out.labReports).toEqual(now.labReports);
    expect(out.procedures).toEqual(now.procedures);
    expect(out.immunizations).toEqual(now.immunizations);
  });

  it("charts a 1976 visit with that year's methods: no pulse oximetry, calculated LDL, no HbA1c, no LDCT, PCV7 for PCV13", () => {
    const out = ofTheirEra(items('1976-03-01'));
    expect(out.vitals.map((v) => v.kind)).toEqual(['heartRate']);
    expect(out.labReports.map((r) => r.code.code)).toEqual(['24331-1']);
    expect(out.labReports[0]!.results.map((r) => [r.code.code, r.value])).toEqual([
      ['2093-3', 190],
      ['13457-7', 110],
    ]);
    expect(out.procedures).toEqual([]);
    expect(out.immunizations).toEqual([]); // no pneumococcal conjugate at all before PCV7 (2000)
    expect(ofTheirEra(items('2005-03-01')).immunizations.map((i) => i.vaccine.code)).toEqual(['100']);
  });
});

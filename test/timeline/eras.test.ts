import { describe, expect, it } from 'vitest';
import type { EncounterId, PractitionerId } from '../../src/record/types.js';
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

describe('records of their era', () => {
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

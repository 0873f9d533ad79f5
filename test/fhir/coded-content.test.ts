import { describe, expect, it } from 'vitest';
import { conditionResource } from '../../src/fhir/condition.js';
import { MetaFactory } from '../../src/fhir/meta.js';
import { acuteModules } from '../../src/knowledge/acute.js';
import { conditionModules, loadLabs } from '../../src/knowledge/conditions.js';
import { loadIcd10cmMap } from '../../src/knowledge/icd10cm.js';
import { loadPregnancy } from '../../src/knowledge/pregnancy.js';
import type { Coding, ConditionEntry } from '../../src/record/types.js';

const meta = new MetaFactory('0123456789abcdef');
const ICD = 'http://hl7.org/fhir/sid/icd-10-cm';

/** Every code the engine can put on a Condition. */
function conditionCodes(): Coding[] {
  const labs = loadLabs();
  const p = loadPregnancy().codes;
  return [
    ...conditionModules().flatMap((m) => [m.code, ...m.acuteCare.flatMap((e) => (e.diagnosis === undefined ? [] : [e.diagnosis]))]),
    ...acuteModules().map((m) => m.code),
    ...Object.values(labs.kidney.stageCodes),
    labs.prediabetes,
    p.pregnancy,
    p.liveBirth,
    p.miscarriageFirstTrimester,
    p.miscarriageSecondTrimester,
    p.gestationalDiabetes,
    p.preeclampsia,
  ];
}

describe('Condition codes', () => {
  it('map every condition code the engine records to ICD-10-CM', () => {
    const map = loadIcd10cmMap().map;
    const codes = conditionCodes();
    expect(codes.length).toBeGreaterThan(40);
    expect(codes.filter((c) => map[c.code] === undefined).map((c) => `${c.code} ${c.display}`)).toEqual([]);
  });

  it('carry SNOMED and ICD-10-CM, a clean text and a date-only onset', () => {
    const entry: ConditionEntry = {
      id: 'c',
      key: 'hypertension',
      code: { system: 'http://snomed.info/sct', code: '59621000', display: 'Essential hypertension (disorder)' },
      category: 'problem-list-item',
      onset: Date.parse('2012-05-03T07:41:13.512Z'),
      recorded: Date.parse('2013-01-09T15:10:00Z'),
      encounterId: 'e',
      practitionerId: 'dr',
      clinicalStatus: 'active',
      abatement: undefined,
    };
    const r = conditionResource(entry, 'p', meta);
    expect(r.code?.coding?.map((c) => [c.system, c.code])).toEqual([
      ['http://snomed.info/sct', '59621000'],
      [ICD, 'I10'],
    ]);
    expect(r.code?.text).toBe('Essential hypertension');
    expect(r.onsetDateTime).toBe('2012-05-03');
  });
});

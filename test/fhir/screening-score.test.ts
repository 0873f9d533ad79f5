import { describe, expect, it } from 'vitest';
import { MetaFactory } from '../../src/fhir/meta.js';
import { PROFILES } from '../../src/fhir/profiles.js';
import { screeningScoreResource } from '../../src/fhir/screening-score.js';
import { loadPregnancy } from '../../src/knowledge/pregnancy.js';
import type { EncounterId, PractitionerId } from '../../src/record/types.js';

const meta = new MetaFactory('0123456789abcdef');
const code = loadPregnancy().postpartum.depressionScreening.score.code;
const score = (value: number) => ({ id: 'epds-1', code, encounterId: 'visit' as EncounterId, practitionerId: 'doc' as PractitionerId, time: Date.parse('2021-03-04T16:15:00Z'), value, positive: value >= 13 });

describe('a screening score as a FHIR Observation', () => {
  it('claims US Core Observation Screening Assessment: category survey, the LOINC total-score code, an integer value, its performer', () => {
    const o = screeningScoreResource(score(15), 'pat', meta);
    expect(o.meta?.profile).toEqual([PROFILES.screeningAssessment]);
    expect(o.category).toEqual([{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey', display: 'Survey' }] }]);
    expect(o.code.coding?.[0]).toMatchObject({ system: 'http://loinc.org', code: '99046-5' });
    expect(o).toMatchObject({ status: 'final', valueInteger: 15, effectiveDateTime: '2021-03-04T16:15:00Z' });
    expect(o.performer).toHaveLength(1);
    expect(o.interpretation?.[0]?.coding?.[0]?.code).toBe('POS');
    expect(screeningScoreResource(score(4), 'pat', meta).interpretation?.[0]?.coding?.[0]?.code).toBe('NEG');
  });
});

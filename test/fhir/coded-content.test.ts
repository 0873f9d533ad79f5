import { beforeAll, describe, expect, it } from 'vitest';
import { causeOfDeathResource } from '../../src/fhir/cause-of-death.js';
import { conditionResource } from '../../src/fhir/condition.js';
import { encounterResource } from '../../src/fhir/encounter.js';
import { goalResource } from '../../src/fhir/goal.js';
import { createValidator, loadProfiles, type ValidationIssue, type Validator } from '../../src/fhir/validation/index.js';
import { withIssued } from '../../src/timeline/lab-turnaround.js';
import { HAS_US_CORE, NO_US_CORE, US_CORE } from './validation/us-core.js';
import { MetaFactory } from '../../src/fhir/meta.js';
import { acuteModules } from '../../src/knowledge/acute.js';
import { conditionModules, loadLabs } from '../../src/knowledge/conditions.js';
import { loadIcd10cmMap } from '../../src/knowledge/icd10cm.js';
import { loadPregnancy } from '../../src/knowledge/pregnancy.js';
import type { Coding, ConditionEntry, Encounter, GoalEntry, LabReport } from '../../src/record/types.js';

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

const H = 3_600_000;
const t0 = Date.parse('2024-03-04T15:10:00Z');
const enc = (id: string, cls: Encounter['class'], start: number, end: number, extra: Partial<Encounter> = {}): Encounter => ({
  id,
  class: cls,
  type: { system: 'http://snomed.info/sct', code: '50849002', display: 'Emergency room admission (procedure)' },
  start,
  end,
  practitionerId: `dr-${id}`,
  organizationId: 'org',
  locationId: 'loc',
  reason: undefined,
  ...extra,
});
const report = (id: string, encounterId: string, time: number): LabReport => ({
  id,
  code: { system: 'http://loinc.org', code: '51990-0', display: 'Basic metabolic panel' },
  encounterId,
  practitionerId: 'dr',
  time,
  results: [],
});

describe('lab turnaround', () => {
  it('issues clinic labs hours later, stat labs within two hours, never after the record ends', () => {
    const encounters = [enc('a', 'AMB', t0, t0 + H), enc('e', 'EMER', t0, t0 + 4 * H)];
    const reports = Array.from({ length: 40 }, (_, i) => report(`r${i}`, i % 2 === 0 ? 'a' : 'e', t0));
    const out = withIssued(reports, encounters, t0 + 1000 * H);
    for (const r of out) {
      const hours = (r.issued! - r.time) / H;
      if (r.encounterId === 'a') expect(hours).toBeGreaterThanOrEqual(3);
      else expect(hours).toBeLessThanOrEqual(2);
      expect(hours).toBeGreaterThanOrEqual(0.5);
    }
    expect(new Set(out.map((r) => r.issued)).size).toBeGreaterThan(10);
    expect(withIssued(reports, encounters, t0 + H / 4).every((r) => r.issued === t0 + H / 4)).toBe(true);
  });
});

describe('Encounter participants and diagnoses', () => {
  it('names the attender, the referring emergency physician, and ranks the diagnoses', () => {
    const admission = enc('i', 'IMP', t0 + 4 * H, t0 + 80 * H, { reasonConditionId: 'c1' });
    const r = encounterResource(admission, 'p', meta, { diagnoses: ['c1', 'c2'], referrerId: 'dr-ed' });
    expect(r.participant?.map((p) => p.type?.[0]?.coding?.[0]?.code)).toEqual(['PPRF', 'REF']);
    expect(r.participant?.[0]?.type?.[1]?.coding?.[0]?.code).toBe('ATND');
    expect(r.participant?.[1]?.individual?.reference).toBe('urn:uuid:dr-ed');
    expect(r.diagnosis?.map((d) => [d.condition.reference, d.use?.coding?.[0]?.code, d.rank])).toEqual([
      ['urn:uuid:c1', 'AD', 1],
      ['urn:uuid:c2', 'DD', 2],
    ]);
    expect(r.hospitalization?.admitSource?.coding?.[0]?.code).toBe('emd');
    // A planned operation's stay is booked from clinic, even when a surgeon is named as referrer.
    const booked = encounterResource({ ...admission, planned: true }, 'p', meta, { diagnoses: ['c1'], referrerId: 'dr-pcp' });
    expect(booked.hospitalization?.admitSource?.coding?.[0]?.code).toBe('outp');
    const visit = encounterResource(enc('a', 'AMB', t0, t0 + H), 'p', meta, { diagnoses: ['c3'] });
    expect(visit.diagnosis?.[0]?.use?.coding?.[0]?.code).toBe('billing');
    expect(visit.hospitalization).toBeUndefined();
  });
});

const goal: GoalEntry = {
  id: 'g',
  conditionId: 'c',
  description: 'Blood pressure below 130/80 mm[Hg]',
  targets: [{ measure: { system: 'http://loinc.org', code: '8480-6', display: 'Systolic blood pressure' }, high: 130, unit: 'mm[Hg]' }],
  start: t0,
  due: t0 + 400 * 24 * H,
  encounterId: 'e',
  practitionerId: 'dr',
  lifecycleStatus: 'active',
  review: { at: t0 + 370 * 24 * H, achievement: 'not-achieved' },
};

describe(`coded content against US Core 6.1.0${NO_US_CORE}`, () => {
  let validator: Validator;
  const errors = (r: unknown): ValidationIssue[] => validator.validate(r as Record<string, unknown>).filter((i) => i.severity === 'error');
  beforeAll(async () => {
    if (HAS_US_CORE) validator = createValidator(await loadProfiles({ igPaths: [US_CORE] }));
  });

  it.skipIf(!HAS_US_CORE)('validates an admission with its diagnoses and referrer, a reviewed Goal and the cause of death', () => {
    const admission = encounterResource(enc('i', 'IMP', t0, t0 + 80 * H, { reasonConditionId: 'c1' }), 'p', meta, { diagnoses: ['c1'], referrerId: 'dr-ed' });
    expect(errors(admission)).toEqual([]);
    const g = goalResource(goal, 'p', meta);
    expect(g.achievementStatus?.coding?.[0]?.code).toBe('not-achieved');
    expect(g.statusDate).toBe('2025-03-09');
    expect(errors(g)).toEqual([]);
    const death = causeOfDeathResource({ id: 'd', time: t0, cause: goal.targets[0]!.measure, encounterId: undefined, practitionerId: 'dr' }, 'p', meta);
    expect(death.meta?.profile).toEqual(['http://hl7.org/fhir/us/core/StructureDefinition/us-core-simple-observation']);
    expect(errors(death)).toEqual([]);
  });
});

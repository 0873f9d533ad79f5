import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AcuteEpisodeSchema, ConditionModuleSchema, loadConditionModules } from '../../src/knowledge/conditions.js';
import { loadHospitalCare, loadMortalityCauses } from '../../src/knowledge/hospital-care.js';

const SNOMED = 'http://snomed.info/sct';
const modules = loadConditionModules();
const byKey = new Map(modules.map((m) => [m.key, m]));

const episode = (yaml: string): unknown => parse(yaml);
const VALID = `
key: test-exacerbation
trigger: rate
annualRate: 0.2
admittedShare: 0.5
lengthOfStayDays: [2, 4]
procedures:
  - { setting: inpatient, share: 0.5, code: { system: "${SNOMED}", code: "371908008", display: "Oxygen administration by mask (procedure)" } }
vitals: { oxygenSaturation: [85, 92] }
`;

describe('acute care blocks in the condition modules', () => {
  it('gives asthma, COPD and heart failure exacerbations, MI for coronary disease and the stroke event at onset', () => {
    expect(byKey.get('asthma')!.acuteCare.map((e) => e.key)).toEqual(['asthma-exacerbation']);
    expect(byKey.get('copd')!.acuteCare.map((e) => e.key)).toEqual(['copd-exacerbation']);
    expect(byKey.get('heart-failure')!.acuteCare.map((e) => e.key)).toEqual(['heart-failure-decompensation']);
    const mi = byKey.get('coronary-artery-disease')!.acuteCare[0]!;
    expect(mi.diagnosis?.code).toBe('22298006');
    expect(mi.admittedShare).toBe(1);
    expect(byKey.get('stroke')!.acuteCare[0]!.trigger).toBe('onset');
  });

  it('codes every procedure and episode diagnosis in SNOMED CT, with ranges that make sense', () => {
    for (const m of modules) {
      for (const e of m.acuteCare) {
        if (e.diagnosis !== undefined) expect(e.diagnosis.system).toBe(SNOMED);
        for (const p of e.procedures) expect(p.code.system).toBe(SNOMED);
        expect(e.lengthOfStayDays[0]).toBeGreaterThan(0);
        const spo2 = e.vitals.oxygenSaturation;
        if (spo2 !== undefined) expect(spo2[1]).toBeLessThanOrEqual(100);
      }
    }
  });

  it('gives the major killers a mortality multiplier, and only multipliers >= 1', () => {
    for (const key of ['coronary-artery-disease', 'heart-failure', 'stroke', 'copd', 'dementia', 'chronic-kidney-disease', 'lung-cancer', 'type2-diabetes']) {
      expect(byKey.get(key)!.mortality?.hazardMultiplier, key).toBeGreaterThan(1);
    }
    expect(() => ConditionModuleSchema.shape.mortality.parse({ hazardMultiplier: 0.5 })).toThrow();
  });

  it('accepts a well-formed episode and fills in defaults', () => {
    const e = AcuteEpisodeSchema.parse(episode(VALID));
    expect(e.fatalShare).toBe(0);
    expect(e.treatedRateRatio).toBe(1);
    expect(e.procedures[0]!.setting).toBe('inpatient');
  });

  it.each([
    ['a rate episode without a rate', VALID.replace('annualRate: 0.2', 'annualRate: 0')],
    ['an inverted length of stay', VALID.replace('[2, 4]', '[4, 2]')],
    ['an unknown field', `${VALID}\nmortalityShare: 0.1\n`],
    ['an unknown procedure setting', VALID.replace('setting: inpatient', 'setting: icu')],
    ['a share above 1', VALID.replace('admittedShare: 0.5', 'admittedShare: 1.5')],
  ])('rejects %s', (_name, yaml) => {
    expect(AcuteEpisodeSchema.safeParse(episode(yaml)).success).toBe(false);
  });
});

describe('hospital and mortality data files', () => {
  it('load and validate', () => {
    const care = loadHospitalCare();
    expect(care.dischargeDispositions.exp.code).toBe('exp');
    expect(care.encounterTypes.inpatient.system).toBe(SNOMED);
    const causes = loadMortalityCauses();
    expect(causes.causeOfDeath).toMatchObject({ system: 'http://loinc.org', code: '69453-9' });
    for (const c of causes.otherCauses) expect(c.code.system).toBe(SNOMED);
  });
});

import { describe, expect, it } from 'vitest';
import { FidelityTargetsSchema, loadFidelityTargets } from '../../src/knowledge/fidelity-targets.js';
import { loadSexSpecificRules, SexSpecificFileSchema } from '../../src/knowledge/sex-specific.js';

describe('fidelity-targets.json', () => {
  it('loads and holds every measure of issue 4, each with its US figure and source', () => {
    const t = loadFidelityTargets();
    expect(t.minDenominator).toBe(200);
    expect(t.measures.map((m) => m.id)).toEqual([
      'hypertension-adults',
      'diabetes-adults',
      'obesity-adults',
      'current-smokers-adults',
      'asthma-all',
      'copd-adults',
      'ckd-adults',
      'hba1c-diabetic-gap',
      'mmr-children',
      'hypertension-untreated',
      'hyperlipidemia-untreated',
      'hypothyroidism-untreated',
    ]);
    for (const m of t.measures) {
      expect(m.usFigure.length).toBeGreaterThan(0);
      expect(m.source.length).toBeGreaterThan(0);
    }
  });

  it('rejects a band whose min exceeds its max, duplicate ids and unknown kinds', () => {
    const good = loadFidelityTargets();
    const first = good.measures[0]!;
    expect(FidelityTargetsSchema.safeParse({ ...good, measures: [{ ...first, band: { min: 0.6, max: 0.5 } }] }).success).toBe(false);
    expect(FidelityTargetsSchema.safeParse({ ...good, measures: [first, first] }).success).toBe(false);
    expect(FidelityTargetsSchema.safeParse({ ...good, measures: [{ ...first, kind: 'vibes' }] }).success).toBe(false);
    expect(FidelityTargetsSchema.safeParse({ ...good, measures: [{ ...first, population: { minAge: -1 } }] }).success).toBe(false);
  });
});

describe('sex-specific.json', () => {
  it('loads, with prostate codes for males and pregnancy / cervical screening codes for females', () => {
    const rules = loadSexSpecificRules();
    const codesFor = (sex: string) => new Set(rules.filter((r) => r.onlyFor === sex).flatMap((r) => r.codes.map((c) => c.code)));
    expect(codesFor('male')).toContain('399068003'); // prostate cancer
    expect(codesFor('male')).toContain('2857-1'); // PSA
    expect(codesFor('female')).toContain('77386006'); // pregnant
    expect(codesFor('female')).toContain('82810-3'); // pregnancy status
    expect(codesFor('female')).toContain('171149006'); // cervical screening
  });

  it('rejects a rule for a sex it does not know and a rule without codes', () => {
    const file = { note: 'x', rules: [{ id: 'x', onlyFor: 'other', label: 'x', codes: [{ system: 'http://snomed.info/sct', code: '1', display: 'x' }] }] };
    expect(SexSpecificFileSchema.safeParse(file).success).toBe(false);
    expect(SexSpecificFileSchema.safeParse({ note: 'x', rules: [{ id: 'x', onlyFor: 'male', label: 'x', codes: [] }] }).success).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { conditionModules } from '../../src/knowledge/conditions.js';
import { loadDosing } from '../../src/knowledge/dosing.js';
import { periodOf } from '../../src/knowledge/availability.js';
import { loadPregnancyMedications, PregnancyMedicationsSchema } from '../../src/knowledge/pregnancy-medications.js';

const k = loadPregnancyMedications();

describe('pregnancy-medications.yaml', () => {
  it('names drugs the condition modules order, and replacements for module conditions, each dosed and dated', () => {
    // What the modules order, and the older drugs the availability table orders before them (warfarin before apixaban).
    const ordered = new Set<string>();
    const add = (system: string, code: string): void => {
      if (ordered.has(code)) return;
      ordered.add(code);
      for (const alt of periodOf(system, code)?.alternatives ?? []) add(system, alt);
    };
    for (const m of conditionModules()) for (const s of m.medications) add(s.medication.system, s.medication.code);
    expect(k.drugs.map((d) => d.drug).filter((d) => !ordered.has(d))).toEqual([]);
    const keys = new Set(conditionModules().map((m) => m.key));
    expect(k.replacements.map((r) => r.condition).filter((c) => !keys.has(c))).toEqual([]);
    for (const r of k.replacements) {
      expect(loadDosing().drugs[r.medication.code], r.medication.display).toBeDefined();
      expect(periodOf(r.medication.system, r.medication.code), r.medication.display).toBeDefined();
    }
    // Labetalol from its approval (Trandate/Normodyne, 1984-08-01).
    expect(new Date(periodOf(k.replacements[0]!.medication.system, '896758')!.from).toISOString().slice(0, 10)).toBe('1984-08-01');
  });

  it('rejects a drug listed twice, and a replacement that is itself stopped for pregnancy', () => {
    const twice = { ...k, drugs: [...k.drugs, k.drugs[0]] };
    expect(PregnancyMedicationsSchema.safeParse(twice).success).toBe(false);
    const stopped = { ...k, replacements: [{ ...k.replacements[0]!, medication: { ...k.replacements[0]!.medication, code: k.drugs[0]!.drug } }] };
    expect(PregnancyMedicationsSchema.safeParse(stopped).success).toBe(false);
    expect(PregnancyMedicationsSchema.safeParse(k).success).toBe(true);
  });

  it('lists labetalol and extended-release nifedipine for chronic hypertension, with shares that sum to 1', () => {
    const htn = k.replacements.filter((r) => r.condition === 'hypertension');
    expect(htn.map((r) => r.medication.code).sort()).toEqual(['198034', '896758']);
    expect(htn.reduce((a, r) => a + (r.share ?? 0), 0)).toBeCloseTo(1, 9);
    expect(new Date(periodOf(htn[0]!.medication.system, '198034')!.from).toISOString().slice(0, 10)).toBe('1989-09-06');
    const skewed = { ...k, replacements: k.replacements.map((r) => (r.medication.code === '198034' ? { ...r, share: 0.2 } : r)) };
    expect(PregnancyMedicationsSchema.safeParse(skewed).success).toBe(false);
  });
});

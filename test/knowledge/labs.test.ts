import { describe, expect, it } from 'vitest';
import { loadConditionModules } from '../../src/knowledge/conditions.js';
import { ckdEpi2009, ckdEpi2021, creatinineForEgfr, mdrd, stageForEgfr } from '../../src/knowledge/kidney.js';
import { periodOf } from '../../src/knowledge/availability.js';
import { Rng, toSeed } from '../../src/core/random.js';
import { dateToInstant, type IsoDate } from '../../src/core/time.js';
import { IdAllocator } from '../../src/timeline/ids.js';
import { egfrCodes, LabsSchema, loadLabs, referenceRange } from '../../src/knowledge/labs.js';
import { LabPhysiology, panelModelGaps } from '../../src/timeline/lab-values.js';

describe('labs.json', () => {
  const labs = loadLabs();

  it('codes every lab and panel in LOINC with a UCUM unit and an ordered range', () => {
    for (const [key, lab] of Object.entries(labs.labs)) {
      expect(lab.code.system, key).toBe('http://loinc.org');
      expect(lab.code.code, key).toMatch(/^\d+-\d$/);
      expect(lab.unit, key).not.toMatch(/\s/);
      expect(lab.low, key).toBeLessThan(lab.high);
      if (lab.female !== undefined) expect(lab.female.low).toBeLessThan(lab.female.high);
    }
    for (const panel of Object.values(labs.panels)) expect(panel.code.system).toBe('http://loinc.org');
    expect(referenceRange(labs.labs.hemoglobin, 'female').low).toBeLessThan(referenceRange(labs.labs.hemoglobin, 'male').low);
  });

  it('rejects a panel naming an unknown lab', () => {
    const raw = structuredClone(labs) as unknown as { panels: { bmp: { members: string[] } } };
    raw.panels.bmp.members.push('unobtainium');
    expect(LabsSchema.safeParse(raw).success).toBe(false);
  });

  it('gives every member of every panel a value model, and names a member without one', () => {
    expect(panelModelGaps(labs)).toEqual([]);
    const raw = structuredClone(labs);
    // Potassium is a real analyte, but the CBC's model does not compute it: it used to be reported as 0.
    raw.panels.cbc.members.push('potassium');
    expect(panelModelGaps(raw)).toEqual(['panel cbc member potassium has no value model']);
  });

  it('screens by panels the knowledge names, and rejects an unknown one', () => {
    expect(labs.screening.map((s) => s.panel).sort()).toEqual(['bmp', 'cbc', 'lipid']);
    const raw = structuredClone(labs) as unknown as { screening: { panel: string }[] };
    raw.screening[0]!.panel = 'coagulation';
    expect(LabsSchema.safeParse(raw).success).toBe(false);
  });

  it('has a stage code for every CKD stage', () => {
    expect(Object.values(labs.kidney.stageCodes).map((c) => c.code)).toEqual(['431855005', '431856006', '433144002', '431857002', '433146000']);
  });
});

describe('CKD-EPI 2021', () => {
  it('matches published values and inverts exactly', () => {
    // Inker et al. 2021 race-free equation: a 50-year-old man with creatinine 1.0 mg/dL has eGFR ~91.
    expect(ckdEpi2021(1.0, 50, 'male')).toBeCloseTo(91.7, 0);
    expect(ckdEpi2021(1.0, 50, 'female')).toBeCloseTo(68.9, 0);
    for (const egfr of [8, 25, 45, 75, 110]) {
      for (const sex of ['male', 'female'] as const) expect(ckdEpi2021(creatinineForEgfr(egfr, 63, sex), 63, sex)).toBeCloseTo(egfr, 6);
    }
    expect([95, 75, 45, 20, 10].map(stageForEgfr)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('medication pathways in the condition modules', () => {
  it('number lines from 1 without gaps, and drive escalation by a number only where there is a next line', () => {
    for (const m of loadConditionModules()) {
      const lines = [...new Set(m.medications.map((s) => s.line))].sort((a, b) => a - b);
      expect(lines, m.key).toEqual(lines.map((_, i) => i + 1));
      if (m.control !== undefined) expect(lines.length, m.key).toBeGreaterThan(1);
      for (const s of m.medications) expect(s.medication.system).toBe('http://www.nlm.nih.gov/research/umls/rxnorm');
    }
  });
});

describe('eGFR of its era', () => {
  const labs = loadLabs();
  const physiology = new LabPhysiology(Rng.of(toSeed(3), 'egfr-era'), 'female', {
    diabetes: undefined,
    hypertension: undefined,
    hyperlipidemia: undefined,
    ckd: 50,
    hypothyroidism: undefined,
  });
  const bmpOn = (date: string) => {
    const state = { at: dateToInstant(date as IsoDate), age: 62, bmi: 27, hba1c: 5.4, diabetic: false, ldlFactor: 1, thyroid: 'normal' as const };
    return physiology.panel('bmp', state, new IdAllocator([1, 2, 3, 4]));
  };

  it('reports the equation of the day under its own code, from the creatinine it reports', () => {
    const expected: [string, string | undefined, (c: number, age: number, sex: 'male' | 'female') => number][] = [
      ['1996-06-01', undefined, ckdEpi2021],
      ['2005-06-01', '33914-3', mdrd],
      ['2016-06-01', '62238-1', ckdEpi2009],
      ['2023-06-01', '98979-8', ckdEpi2021],
    ];
    for (const [date, code, equation] of expected) {
      const results = bmpOn(date);
      const codes = egfrCodes();
      const egfr = results.find((r) => codes.has(r.code.code));
      const creatinine = results.find((r) => r.code.code === labs.labs.creatinine.code.code)!;
      expect(egfr?.code.code, date).toBe(code);
      expect(results.length, date).toBe(code === undefined ? 8 : 9);
      if (egfr !== undefined) expect(egfr.value, date).toBe(Math.round(equation(creatinine.value, 62, 'female')));
    }
  });

  it('switches equations no earlier than each was published', () => {
    for (const era of labs.egfrEquations) {
      const published = periodOf('http://loinc.org', era.code.code);
      expect(published, era.equation).toBeDefined();
      expect(Date.parse(era.from), era.equation).toBeGreaterThanOrEqual(published!.from);
    }
  });
});

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadLabs } from '../../src/knowledge/labs.js';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { conditionModules } from '../../src/knowledge/conditions.js';
import { KNOWLEDGE_DIR } from '../../src/knowledge/load.js';
import { birthRateAt, cesareanShareIn, loadPregnancyFile, pretermWeekAt } from '../../src/knowledge/pregnancy.js';
import { loadScreeningFile } from '../../src/knowledge/screening.js';
import { loadSexSpecificRules } from '../../src/knowledge/sex-specific.js';

type Json = Record<string, unknown>;
const shipped = (name: string): Json => parse(readFileSync(join(fileURLToPath(KNOWLEDGE_DIR), name), 'utf8')) as Json;

/** Writes a variant of a shipped file into a temp dir and returns the dir's URL. */
function variant(name: string, edit: (doc: Json) => void): URL {
  const doc = shipped(name);
  edit(doc);
  const dir = mkdtempSync(join(tmpdir(), 'chartwright-preg-'));
  writeFileSync(join(dir, name), stringify(doc));
  return pathToFileURL(`${dir}/`);
}

describe('pregnancy.yaml', () => {
  const k = loadPregnancyFile();

  it('loads, with the NCHS fertility bands and real codes', () => {
    expect(birthRateAt(k, 27)).toBeCloseTo(0.093, 3);
    expect(birthRateAt(k, 11)).toBe(0);
    expect(birthRateAt(k, 50)).toBe(0);
    expect(k.codes.statusCode).toEqual({ system: 'http://loinc.org', code: '82810-3', display: 'Pregnancy status' });
    expect(k.codes.pregnant.code).toBe('77386006');
    expect(cesareanShareIn(k, 1970)).toBeCloseTo(0.055, 3);
    expect(cesareanShareIn(k, 2015)).toBeGreaterThan(0.3);
    expect(cesareanShareIn(k, 2040)).toBeCloseTo(0.321, 3);
    // The preterm bands invert one uniform draw: its ends map to 22 and (just under) 37 weeks.
    expect(pretermWeekAt(k, 0)).toBe(22);
    expect(pretermWeekAt(k, 0.999999)).toBeLessThan(37);
    expect(pretermWeekAt(k, 0.5)).toBeGreaterThanOrEqual(34);
    expect(k.codes.preeclampsia.code).toBe('398254007');
  });

  it('rejects gaps between fertility bands, fertility before menarche and unknown fields', () => {
    const gap = variant('pregnancy.yaml', (d) => {
      (d['birthsPer1000'] as Json[])[2]!['fromAge'] = 21;
    });
    expect(() => loadPregnancyFile('pregnancy.yaml', gap)).toThrow(/birthsPer1000\.2: age bands must be contiguous/);
    const early = variant('pregnancy.yaml', (d) => {
      d['menarcheAge'] = 13;
    });
    expect(() => loadPregnancyFile('pregnancy.yaml', early)).toThrow(/fertility starts before menarche/);
    const extra = variant('pregnancy.yaml', (d) => {
      (d['birth'] as Json)['twinShare'] = 0.03;
    });
    expect(() => loadPregnancyFile('pregnancy.yaml', extra)).toThrow(/pregnancy\.yaml is invalid/);
    const share = variant('pregnancy.yaml', (d) => {
      ((d['birth'] as Json)['cesareanShareByYear'] as number[][])[0]![1] = 32;
    });
    expect(() => loadPregnancyFile('pregnancy.yaml', share)).toThrow(/birth\.cesareanShareByYear/);
    const bands = variant('pregnancy.yaml', (d) => {
      ((d['birth'] as Json)['pretermWeeks'] as Json[])[1]!['share'] = 0.2;
    });
    expect(() => loadPregnancyFile('pregnancy.yaml', bands)).toThrow(/preterm band shares must sum to 1/);
  });

  it('marks every pregnancy code the engine writes as female-only for `check`', () => {
    const female = new Set(loadSexSpecificRules().filter((r) => r.onlyFor === 'female').flatMap((r) => r.codes.map((c) => `${c.system}|${c.code}`)));
    const c = k.codes;
    for (const coding of [c.pregnancy, c.initialVisit, c.prenatalVisit, c.deliveryAdmission, c.vaginalDelivery, c.cesarean, c.liveBirth, c.miscarriageFirstTrimester, c.miscarriageSecondTrimester, c.gestationalDiabetes, c.preeclampsia, c.statusCode, c.pregnant, loadLabs().labs[k.labs.glucoseChallenge.lab].code]) {
      expect(female.has(`${coding.system}|${coding.code}`), coding.display).toBe(true);
    }
  });
});

describe('screening.yaml', () => {
  const k = loadScreeningFile();

  it('loads the USPSTF programs, each detecting an existing cancer module', () => {
    const keys = new Set(conditionModules().map((m) => m.key));
    expect(k.programs.map((p) => p.key).sort()).toEqual(['cervical-cytology', 'colonoscopy', 'lung-ldct', 'mammography', 'psa']);
    for (const p of k.programs) if (p.detects !== undefined) expect(keys.has(p.detects), p.detects).toBe(true);
    for (const key of Object.keys(k.sojournYears)) expect(keys.has(key), key).toBe(true);
  });

  it('keeps sex-specific screenings sex-specific and polices them in `check`', () => {
    const rules = loadSexSpecificRules();
    const onlyFor = (code: string): string | undefined => rules.find((r) => r.codes.some((c) => c.code === code))?.onlyFor;
    for (const p of k.programs) {
      if (p.sex !== undefined) expect(onlyFor(p.code.code), p.key).toBe(p.sex);
      const m = conditionModules().find((x) => x.key === p.detects);
      if (m?.sex !== undefined) expect(p.sex, p.key).toBe(m.sex);
    }
  });

  it('rejects a program that detects without a sensitivity, and inverted ages', () => {
    const noSens = variant('screening.yaml', (d) => {
      delete (d['programs'] as Json[])[0]!['sensitivity'];
    });
    expect(() => loadScreeningFile('screening.yaml', noSens)).toThrow(/detects and sensitivity go together/);
    const inverted = variant('screening.yaml', (d) => {
      (d['programs'] as Json[])[1]!['fromAge'] = 80;
    });
    expect(() => loadScreeningFile('screening.yaml', inverted)).toThrow(/fromAge must be below toAge/);
    const lab = variant('screening.yaml', (d) => {
      delete (d['programs'] as Json[])[2]!['lab'];
    });
    expect(() => loadScreeningFile('screening.yaml', lab)).toThrow(/programs\.2/);
  });
});

import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadLabs } from '../../src/knowledge/labs.js';
import { describe, expect, it } from 'vitest';
import { ACUTE_DIR, AcuteModuleSchema, loadAcuteModules } from '../../src/knowledge/acute.js';
import { loadConditionModules } from '../../src/knowledge/conditions.js';
import { loadKnowledgeFile } from '../../src/knowledge/load.js';

const files = readdirSync(ACUTE_DIR).filter((f) => f.endsWith('.yaml'));
const SNOMED = 'http://snomed.info/sct';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

function dirWith(entries: Record<string, string>): URL {
  const dir = mkdtempSync(join(tmpdir(), 'chartwright-acute-'));
  for (const [name, text] of Object.entries(entries)) writeFileSync(join(dir, name), text);
  return pathToFileURL(`${dir}/`);
}

const MINIMAL = `key: minimal
source: x
code: { system: "http://snomed.info/sct", code: "54150009", display: "Upper respiratory infection (disorder)" }
annualRateByAge: [[0, 0.1]]
settings: [{ setting: clinic, weight: 1 }]
daysToVisit: { min: 1, max: 2 }
durationDays: { min: 5, max: 9 }
`;

describe('acute module files', () => {
  it.each(files)('%s validates against the schema, is named for its key and codes with SNOMED CT and RxNorm', (file) => {
    const m = loadKnowledgeFile(file, AcuteModuleSchema, ACUTE_DIR);
    expect(`${m.key}.yaml`).toBe(file);
    expect(m.code.system).toBe(SNOMED);
    expect(m.code.display).toMatch(/\((disorder|finding)\)$/);
    for (const p of m.procedures) {
      expect(p.code.system).toBe(SNOMED);
      expect(p.code.display).toMatch(/\(procedure\)$/);
    }
    for (const slot of m.medications) for (const o of slot.options) expect(o.medication.system).toBe(RXNORM);
    for (const lab of m.labs) expect(loadLabs().labs[lab.draw.lab].code.system).toBe('http://loinc.org');
    for (const [age, rate] of m.annualRateByAge) {
      expect(age).toBeGreaterThanOrEqual(0);
      // No acute condition brings a person to care more than about once a year on its own.
      expect(rate).toBeLessThanOrEqual(1);
    }
  });

  it('ships at least 14 acute modules with distinct codes, covering the issue list', () => {
    const modules = loadAcuteModules();
    expect(modules.length).toBeGreaterThanOrEqual(14);
    expect(new Set(modules.map((m) => m.code.code)).size).toBe(modules.length);
    const keys = new Set(modules.map((m) => m.key));
    for (const k of ['viral-uri', 'acute-bronchitis', 'strep-pharyngitis', 'otitis-media', 'sinusitis', 'urinary-tract-infection', 'pneumonia', 'influenza', 'covid-19', 'viral-gastroenteritis', 'ankle-sprain', 'forearm-fracture', 'concussion', 'laceration', 'appendicitis']) {
      expect(keys.has(k), k).toBe(true);
    }
  });

  it('names only existing chronic modules as risk factors', () => {
    const chronic = new Set(loadConditionModules().map((m) => m.key));
    for (const m of loadAcuteModules()) for (const r of m.riskFactors) expect(chronic.has(r.condition), `${m.key} -> ${r.condition}`).toBe(true);
  });

  it('keeps the clinical facts the engine relies on', () => {
    const byKey = new Map(loadAcuteModules().map((m) => [m.key, m]));
    const appendicitis = byKey.get('appendicitis')!;
    expect(appendicitis.oncePerLife).toBe(true);
    expect(appendicitis.settings.every((s) => s.setting === 'admission')).toBe(true);
    expect(appendicitis.procedures.some((p) => p.share === 1 && p.at === 'stay' && p.code.code === '80146002')).toBe(true);
    expect(byKey.get('covid-19')!.availableFrom).toBe('2020-03-01');
    expect(byKey.get('urinary-tract-infection')!.sexMultiplier.male).toBeLessThan(byKey.get('urinary-tract-infection')!.sexMultiplier.female);
    const flu = byKey.get('influenza')!.seasonByMonth!;
    expect(flu[0]).toBeGreaterThan(10 * flu[6]!);
  });

  it('loads a minimal file with defaults', () => {
    const [m] = loadAcuteModules(dirWith({ 'minimal.yaml': MINIMAL }));
    expect(m).toMatchObject({ oncePerLife: false, riskFactors: [], procedures: [], labs: [], medications: [], sexMultiplier: { male: 1, female: 1 } });
  });

  it('rejects broken files, naming the file and the problem', () => {
    expect(() => loadAcuteModules(dirWith({ 'minimal.yaml': MINIMAL.replace('display: "Upper respiratory infection (disorder)"', 'display: ""') }))).toThrow(
      /minimal\.yaml is invalid at code\.display/,
    );
    expect(() => loadAcuteModules(dirWith({ 'minimal.yaml': MINIMAL.replace('setting: clinic', 'setting: admission') }))).toThrow(/lengthOfStayDays/);
    expect(() => loadAcuteModules(dirWith({ 'minimal.yaml': `${MINIMAL}seasonByMonth: [1, 2, 3]\n` }))).toThrow(/seasonByMonth/);
    expect(() => loadAcuteModules(dirWith({ 'other.yaml': MINIMAL }))).toThrow(/other\.yaml declares key minimal/);
  });
});

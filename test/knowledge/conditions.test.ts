import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CONDITIONS_DIR,
  ConditionModuleSchema,
  dependenciesOf,
  loadConditionModules,
  loadLabs,
} from '../../src/knowledge/conditions.js';
import { loadKnowledgeFile } from '../../src/knowledge/load.js';

const files = readdirSync(CONDITIONS_DIR).filter((f) => f.endsWith('.yaml'));

function dirWith(entries: Record<string, string>): URL {
  const dir = mkdtempSync(join(tmpdir(), 'chartwright-conditions-'));
  for (const [name, text] of Object.entries(entries)) writeFileSync(join(dir, name), text);
  return pathToFileURL(`${dir}/`);
}

describe('condition module files', () => {
  it.each(files)('%s validates against the schema and is named for its key', (file) => {
    const m = loadKnowledgeFile(file, ConditionModuleSchema, CONDITIONS_DIR);
    expect(`${m.key}.yaml`).toBe(file);
    expect(m.code.system).toBe('http://snomed.info/sct');
    for (const step of m.medications) expect(step.medication.system).toBe('http://www.nlm.nih.gov/research/umls/rxnorm');
  });

  it('ships at least 18 chronic modules, ordered after their risk-factor dependencies', () => {
    const modules = loadConditionModules();
    expect(modules.filter((m) => m.category === 'problem-list-item').length).toBeGreaterThanOrEqual(18);
    const seen = new Set<string>();
    for (const m of modules) {
      for (const dep of dependenciesOf(m)) expect(seen.has(dep), `${m.key} after ${dep}`).toBe(true);
      seen.add(m.key);
    }
  });

  it('keeps sex-specific cancers to the right sex', () => {
    const byKey = new Map(loadConditionModules().map((m) => [m.key, m]));
    expect(byKey.get('prostate-cancer')?.sex).toBe('male');
    expect(byKey.get('breast-cancer')?.sex).toBe('female');
  });

  it('uses the shared contract codes', () => {
    const codes = new Map(loadConditionModules().map((m) => [m.key, m.code.code]));
    expect(codes.get('hypertension')).toBe('59621000');
    expect(codes.get('type2-diabetes')).toBe('44054006');
    expect(codes.get('chronic-kidney-disease')).toBe('709044004');
    expect(codes.get('copd')).toBe('13645005');
    expect(codes.get('asthma')).toBe('195967001');
    expect(loadLabs().labs.hba1c.code.code).toBe('4548-4');
  });

  it('rejects a file that breaks the schema, naming the file and the field', () => {
    const dir = dirWith({ 'bad.yaml': 'key: bad\nsource: x\ncode: { system: "http://snomed.info/sct", code: "1" }\n' });
    expect(() => loadConditionModules(dir)).toThrow(/bad\.yaml is invalid at code\.display/);
  });

  it('rejects an unknown risk-factor condition and a dependency cycle', () => {
    const mod = (key: string, dep: string): string =>
      `key: ${key}\nsource: s\ncode: { system: "http://snomed.info/sct", code: "1", display: "d" }\ncategory: problem-list-item\nonsetAgeFloor: { age: 0, source: s }\n` +
      `onset: { kind: hazard, annualHazardByAge: [[0, 0.1]], riskFactors: [{ factor: "condition:${dep}", multiplier: 2 }] }\n`;
    expect(() => loadConditionModules(dirWith({ 'a.yaml': mod('a', 'zzz') }))).toThrow(/unknown risk factor condition:zzz/);
    expect(() => loadConditionModules(dirWith({ 'a.yaml': mod('a', 'b'), 'b.yaml': mod('b', 'a') }))).toThrow(/cycle/);
  });
});

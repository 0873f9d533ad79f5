import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { KnowledgeError } from '../../src/errors.js';
import { ACUTE_DIR, loadAcuteModules } from '../../src/knowledge/acute.js';
import { conditionModules } from '../../src/knowledge/conditions.js';
import { LAB_EFFECTS, LabDrawSchema, loadLabsFile } from '../../src/knowledge/labs.js';
import { KNOWLEDGE_DIR } from '../../src/knowledge/load.js';
import { loadPregnancyFile } from '../../src/knowledge/pregnancy.js';

type Json = Record<string, unknown>;

function dirWith(name: string, text: string): URL {
  const dir = mkdtempSync(join(tmpdir(), 'chartwright-lab-model-'));
  writeFileSync(join(dir, name), text);
  return pathToFileURL(`${dir}/`);
}
const shipped = (name: string): string => readFileSync(join(fileURLToPath(KNOWLEDGE_DIR), name), 'utf8');

/** The error a load throws, to look at its class and its one line. */
function failure(load: () => unknown): Error {
  try {
    load();
  } catch (error) {
    return error as Error;
  }
  throw new Error('the load did not fail');
}


describe('a knowledge file naming a lab with no model', () => {
  it('fails the acute module load with one line naming the file, the path and the key', () => {
    const withLab = (lab: string): URL => {
      const doc = parse(readFileSync(new URL('appendicitis.yaml', ACUTE_DIR), 'utf8')) as { labs: { draw: { lab: string } }[] };
      doc.labs[1]!.draw.lab = lab;
      return dirWith('appendicitis.yaml', stringify(doc));
    };
    const error = failure(() => loadAcuteModules(withLab('procalcitonin')));
    expect(error).toBeInstanceOf(KnowledgeError);
    expect(error.message).toBe(
      'knowledge file appendicitis.yaml is invalid at labs.1.draw.lab: "procalcitonin" is no lab of labs.json (add its entry under labs and its key to LAB_KEYS, src/knowledge/labs.ts)',
    );
    // The same file naming a lab labs.json has loads.
    expect(loadAcuteModules(withLab('crp'))[0]!.labs[1]!.draw.lab).toBe('crp');
  });

  it('fails the pregnancy load the same way, and refuses a prenatal result its panel does not report', () => {
    const variant = (edit: (doc: Json) => void): URL => {
      const doc = parse(shipped('pregnancy.yaml')) as Json;
      edit(doc);
      return dirWith('pregnancy.yaml', stringify(doc));
    };
    const results = (doc: Json) => ((doc['labs'] as Json)['cbc'] as Json)['results'] as Json[];
    const unknown = failure(() => loadPregnancyFile('pregnancy.yaml', variant((d) => (results(d)[0]!['lab'] = 'ferritin'))));
    expect(unknown).toBeInstanceOf(KnowledgeError);
    expect(unknown.message).toBe(
      'knowledge file pregnancy.yaml is invalid at labs.cbc.results.0.lab: "ferritin" is no lab of labs.json (add its entry under labs and its key to LAB_KEYS, src/knowledge/labs.ts)',
    );
    expect(() => loadPregnancyFile('pregnancy.yaml', variant((d) => (results(d)[1]!['lab'] = 'creatinine')))).toThrow(
      'knowledge file pregnancy.yaml is invalid at labs.cbc.results.1.lab: creatinine is no member of the cbc panel of labs.json',
    );
    const challenge = (d: Json) => (d['labs'] as Json)['glucoseChallenge'] as Json;
    expect(() => loadPregnancyFile('pregnancy.yaml', variant((d) => delete challenge(d)['states']))).toThrow(/glucoseChallenge\.states: the glucose challenge needs its diabetic distribution/);
  });

  it('fails labs.json at load when a panel member has no value model (it used to be reported as 0)', () => {
    const variant = (edit: (doc: { panels: Record<string, { members: string[] }> }) => void): URL => {
      const doc = JSON.parse(shipped('labs.json')) as { panels: Record<string, { members: string[] }> };
      edit(doc);
      return dirWith('labs.json', JSON.stringify(doc));
    };
    // Potassium is a lab, but the blood count's model does not compute it.
    const gap = failure(() => loadLabsFile('labs.json', variant((d) => d.panels['cbc']!.members.push('potassium'))));
    expect(gap).toBeInstanceOf(KnowledgeError);
    expect(gap.message).toBe('knowledge file labs.json: panel cbc member potassium has no value model');
    expect(() => loadLabsFile('labs.json', variant((d) => d.panels['cbc']!.members.push('ferritin')))).toThrow(
      'knowledge file labs.json is invalid at panels.cbc.members.4: "ferritin" is no lab of labs.json',
    );
    expect(loadLabsFile().panels.cbc.members).toEqual(['hemoglobin', 'hematocrit', 'wbc', 'platelets']);
  });

  it('describes every drawn value with the one schema: a state distribution replaces the base, bounds must be ordered', () => {
    expect(LabDrawSchema.safeParse({ lab: 'wbc', mean: 10, sd: 2, min: 5, max: 3 }).success).toBe(false);
    expect(LabDrawSchema.safeParse({ lab: 'wbc', mean: 10, sd: 2, states: { septic: { mean: 20, sd: 3 } } }).success).toBe(false);
    expect(LabDrawSchema.safeParse({ lab: 'wbc', mean: 10, sd: 2, states: { diabetic: { mean: 20, sd: 3 } } }).success).toBe(true);
  });

  it('has every latent state of the lab physiology set by a condition file flag, not by a key in code', () => {
    const flagged = conditionModules().filter((m) => m.labEffect !== undefined);
    expect([...new Set(flagged.map((m) => m.labEffect))].sort()).toEqual([...LAB_EFFECTS].sort());
    expect(flagged.filter((m) => m.labEffect === 'diabetes').map((m) => m.key).sort()).toEqual(['type1-diabetes', 'type2-diabetes']);
  });
});

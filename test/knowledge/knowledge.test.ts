import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { KnowledgeError } from '../../src/errors.js';
import { loadAllergies } from '../../src/knowledge/allergies.js';
import { loadGrowthCharts } from '../../src/knowledge/growth-charts.js';
import { loadImmunizations } from '../../src/knowledge/immunizations.js';
import { loadPhysiology, loadSmoking, loadWellness } from '../../src/knowledge/lifecycle.js';
import { KNOWLEDGE_DIR, loadKnowledgeFile } from '../../src/knowledge/load.js';
import { loadPlacesByState } from '../../src/knowledge/places.js';
import { loadCensusAgeSex, loadLifeTable, loadRaceEthnicity, loadStates } from '../../src/knowledge/population.js';

describe('knowledge files', () => {
  it('all validate against their schemas', () => {
    expect(loadStates()).toHaveLength(51);
    expect(loadCensusAgeSex().bands.length).toBeGreaterThan(10);
    expect(loadLifeTable().male.length).toBeGreaterThan(10);
    expect(loadRaceEthnicity().ethnicity).toHaveLength(2);
    expect(loadWellness().childVisitAgesDays.length).toBeGreaterThan(20);
    expect(loadSmoking().everSmokerByBirthYear.length).toBeGreaterThan(3);
    expect(loadPhysiology().heartRateByAge.length).toBeGreaterThan(3);
    expect(Object.keys(loadGrowthCharts().charts)).toHaveLength(7);
    expect(loadImmunizations().vaccines.length).toBeGreaterThan(20);
    expect(loadAllergies().allergies.length).toBeGreaterThan(10);
  });

  it('has shares that sum to one', () => {
    const re = loadRaceEthnicity();
    const sum = (xs: { share: number }[]): number => xs.reduce((s, x) => s + x.share, 0);
    expect(sum(re.ethnicity)).toBeCloseTo(1, 6);
    expect(sum(re.raceByEthnicity.hispanic)).toBeCloseTo(1, 6);
    expect(sum(re.raceByEthnicity.nonHispanic)).toBeCloseTo(1, 6);
    for (const band of re.maritalStatus.byAge) expect(Object.values(band.shares).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it('gives vaccines real CVX codes and non-overlapping product eras', () => {
    for (const v of loadImmunizations().vaccines) {
      expect(v.cvx).toMatch(/^\d{2,3}$/);
      if (v.routineUntil !== null) expect(v.routineUntil > v.routineFrom).toBe(true);
      expect(v.series.length > 0 || v.recurring !== null).toBe(true);
    }
  });

  it('has ZIP codes for every state, with the city and state they belong to', () => {
    const places = loadPlacesByState();
    for (const s of loadStates()) {
      const list = places.get(s.code);
      expect(list?.length ?? 0).toBeGreaterThan(0);
      for (const p of list!.slice(0, 5)) expect(p.state).toBe(s.code);
    }
    const boston = places.get('MA')!.find((p) => p.zip === '02108');
    expect(boston?.city).toBe('Boston');
  });

  it('reports an invalid file by name and path, as a KnowledgeError', () => {
    const dir = new URL('./', KNOWLEDGE_DIR);
    const files = readdirSync(fileURLToPath(dir));
    expect(files).toContain('states.json');
    const strict = z.strictObject({ source: z.string(), states: z.array(z.strictObject({ code: z.number() })) });
    expect(() => loadKnowledgeFile('states.json', strict)).toThrow(KnowledgeError);
    expect(() => loadKnowledgeFile('states.json', strict)).toThrow(/states\.json is invalid at states\.0\.code/);
    expect(() => loadKnowledgeFile('missing.json', strict)).toThrow(/cannot be read/);
  });
});

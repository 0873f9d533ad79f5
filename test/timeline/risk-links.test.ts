import { describe, expect, it } from 'vitest';
import { loadConditionModules } from '../../src/knowledge/conditions.js';
import { bmiAt, createBody } from '../../src/timeline/body.js';
import { planOnsets, type LatentCourse } from '../../src/timeline/onsets.js';
import { Rng } from '../../src/core/random.js';
import type { SmokingHistory } from '../../src/timeline/smoking.js';
import type { AdministrativeSex } from '../../src/record/types.js';

const NEVER: SmokingHistory = { startAge: undefined, quitAge: undefined, occasional: false };
const SMOKER: SmokingHistory = { startAge: 16, quitAge: undefined, occasional: false };
const modules = loadConditionModules();

interface Life {
  readonly obese: boolean;
  readonly sex: AdministrativeSex;
  readonly onset: ReadonlyMap<string, number | undefined>;
}

/** Many cheap simulated lives at a fixed age, straight through the onset engine. */
function lives(n: number, age: number, smoking: SmokingHistory, label: string, sexOf = (i: number): AdministrativeSex => (i % 2 === 0 ? 'male' : 'female')): Life[] {
  const out: Life[] = [];
  for (let i = 0; i < n; i++) {
    const rng = Rng.of(7, label, i);
    const sex = sexOf(i);
    const body = createBody(rng.fork('body'), sex, 2025 - age);
    const courses: LatentCourse[] = planOnsets(modules, { body, sex, smoking, ageAtEnd: age }, (k) => rng.fork('condition', k));
    out.push({ obese: bmiAt(body, age - 5) >= 30, sex, onset: new Map(courses.map((c) => [c.module.key, c.onsetAge])) });
  }
  return out;
}

const rate = (list: readonly Life[], key: string): number =>
  list.filter((l) => l.onset.get(key) !== undefined).length / Math.max(1, list.length);

describe('risk links', () => {
  const never = lives(3000, 65, NEVER, 'never');
  const smokers = lives(3000, 65, SMOKER, 'smokers');
  const obese = never.filter((l) => l.obese);
  const lean = never.filter((l) => !l.obese);

  it('obesity raises type 2 diabetes, hypertension and osteoarthritis', () => {
    expect(obese.length).toBeGreaterThan(300);
    for (const key of ['type2-diabetes', 'hypertension', 'osteoarthritis']) {
      expect(rate(obese, key), key).toBeGreaterThan(rate(lean, key) * 1.3);
    }
  });

  it('smoking raises COPD, lung cancer and CAD', () => {
    for (const key of ['copd', 'lung-cancer', 'coronary-artery-disease']) {
      expect(rate(smokers, key), key).toBeGreaterThan(rate(never, key) * 1.5);
    }
  });

  it('diabetes and hypertension raise CKD and CAD', () => {
    const all = never.concat(smokers);
    for (const factor of ['type2-diabetes', 'hypertension']) {
      const withIt = all.filter((l) => l.onset.get(factor) !== undefined);
      const without = all.filter((l) => l.onset.get(factor) === undefined);
      for (const key of ['chronic-kidney-disease', 'coronary-artery-disease']) {
        expect(rate(withIt, key), `${factor} -> ${key}`).toBeGreaterThan(rate(without, key) * 1.3);
      }
    }
  });

  it('age drives incidence', () => {
    const young = lives(1500, 35, NEVER, 'young');
    for (const key of ['hypertension', 'type2-diabetes', 'chronic-kidney-disease', 'osteoarthritis']) {
      expect(rate(never, key), key).toBeGreaterThan(rate(young, key));
    }
  });

  it('keeps sex-specific conditions to their sex', () => {
    const women = never.concat(smokers).filter((l) => l.sex === 'female');
    const men = never.concat(smokers).filter((l) => l.sex === 'male');
    expect(rate(women, 'prostate-cancer')).toBe(0);
    expect(rate(men, 'breast-cancer')).toBe(0);
    expect(rate(men, 'prostate-cancer')).toBeGreaterThan(0);
  });

  it('gives each module its own stream: dropping a module leaves the others unchanged', () => {
    const rng = Rng.of(3, 'x');
    const body = createBody(rng.fork('body'), 'female', 1960);
    const inputs = { body, sex: 'female' as const, smoking: SMOKER, ageAtEnd: 65 };
    const full = planOnsets(modules, inputs, (k) => rng.fork('condition', k));
    const fewer = planOnsets(modules.filter((m) => m.key === 'dementia' || m.key === 'stroke' || !['gerd'].includes(m.key)), inputs, (k) => rng.fork('condition', k));
    const byKey = new Map(full.map((c) => [c.module.key, c.onsetAge]));
    for (const c of fewer) expect(c.onsetAge).toBe(byKey.get(c.module.key));
  });
});

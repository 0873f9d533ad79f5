import { describe, expect, it } from 'vitest';
import type { CheckedBundle } from '../../src/check/bundle-source.js';
import { viewBundle } from '../../src/check/bundle-view.js';
import { onsetAgeFloor } from '../../src/check/onset-age.js';
import { loadConditionModules } from '../../src/knowledge/conditions.js';
import { createBody } from '../../src/timeline/body.js';
import { planOnsets } from '../../src/timeline/onsets.js';
import { Rng, toSeed } from '../../src/core/random.js';
import type { AdministrativeSex } from '../../src/record/types.js';
import { condition, miniBundle, type Bundle } from './builders.js';

function violations(b: Bundle): string[] {
  const out: string[] = [];
  onsetAgeFloor.check(viewBundle('b.json', b as unknown as CheckedBundle), (_r, m) => out.push(m));
  return out;
}

describe('clinical.onset-age-floor', () => {
  it('flags atrial fibrillation at 7, osteoporosis at 15 and CKD stage 5 at 12', () => {
    const b = miniBundle({ birthDate: '2000-03-01', gender: 'male' }, (pid) => [
      condition(pid, '49436004', { onset: '2007-06-01T10:00:00Z' }),
      condition(pid, '64859006', { onset: '2015-06-01T10:00:00Z' }),
      condition(pid, '433146000', { onset: '2012-06-01T10:00:00Z' }),
    ]);
    const found = violations(b);
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(/atrial-fibrillation \(49436004\) begins at age 7\.2, younger than its floor of 20/);
    expect(found[2]).toMatch(/chronic-kidney-disease/);
  });

  it('passes the same diseases at plausible ages, and a condition no module floors', () => {
    const b = miniBundle({ birthDate: '1950-03-01' }, (pid) => [
      condition(pid, '49436004', { onset: '2015-06-01T10:00:00Z' }),
      condition(pid, '64859006', { onset: '2012-06-01T10:00:00Z' }),
      condition(pid, '65363002', { onset: '1951-06-01T10:00:00Z' }), // otitis media in infancy
    ]);
    expect(violations(b)).toEqual([]);
  });
});

describe('onset-age floors in the engine', () => {
  it('never draws an onset below a module floor, over 2,000 lives', () => {
    const modules = loadConditionModules();
    const smoking = { startAge: 14, quitAge: undefined, occasional: false };
    for (let i = 0; i < 2000; i++) {
      const sex: AdministrativeSex = i % 2 === 0 ? 'male' : 'female';
      const rng = Rng.of(toSeed(i), 'floors');
      const body = createBody(rng.fork('body'), sex, 1940);
      for (const c of planOnsets(modules, { body, sex, smoking, ageAtEnd: 85 }, (k) => rng.fork('condition', k))) {
        if (c.onsetAge !== undefined) expect(c.onsetAge, c.module.key).toBeGreaterThanOrEqual(c.module.onsetAgeFloor.age);
      }
    }
  });
});

import { describe, expect, it } from 'vitest';
import { sampleBirth } from '../../src/timeline/demography.js';
import { sampleDeathAge } from '../../src/timeline/mortality.js';
import { Rng, toSeed } from '../../src/core/random.js';

/**
 * The living at the reference date must follow the 2020 Census structure. Demographics alone are
 * cheap, so this runs on 60,000 people (births plus life-table deaths), the way `generate` draws them.
 */
describe('demographics of the living', () => {
  const living: { sex: string; age: number }[] = [];
  let deceased = 0;
  const rng = Rng.of(toSeed(2020), 'demography-test');
  while (living.length < 60_000) {
    const birth = sampleBirth(rng, { age: undefined, gender: undefined });
    const death = sampleDeathAge(rng, birth.sex);
    if (death < birth.ageAtReference) deceased++;
    else living.push({ sex: birth.sex, age: birth.ageAtReference });
  }
  const share = (pred: (p: { sex: string; age: number }) => boolean): number => living.filter(pred).length / living.length;

  it('has about 22% under 18 (Census 2020: 22.1%)', () => {
    expect(share((p) => p.age < 18)).toBeGreaterThan(0.205);
    expect(share((p) => p.age < 18)).toBeLessThan(0.235);
  });

  it('has about 17% aged 65 and over (Census 2020: 16.8%)', () => {
    expect(share((p) => p.age >= 65)).toBeGreaterThan(0.155);
    expect(share((p) => p.age >= 65)).toBeLessThan(0.18);
  });

  it('is about 50.5% female', () => {
    expect(share((p) => p.sex === 'female')).toBeGreaterThan(0.495);
    expect(share((p) => p.sex === 'female')).toBeLessThan(0.515);
  });

  it('has deceased patients too, fewer than the living', () => {
    expect(deceased).toBeGreaterThan(living.length * 0.1);
    expect(deceased).toBeLessThan(living.length);
  });

  it('respects age and gender filters', () => {
    const r = Rng.of(toSeed(1), 'filters');
    for (let i = 0; i < 2000; i++) {
      const b = sampleBirth(r, { age: { min: 30, max: 40 }, gender: 'female' });
      expect(b.sex).toBe('female');
      expect(b.ageAtReference).toBeGreaterThanOrEqual(30);
      expect(b.ageAtReference).toBeLessThan(41);
    }
  });
});

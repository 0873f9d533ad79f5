import { describe, expect, it } from 'vitest';
import { Rng, toSeed } from '../../src/core/random.js';
import { loadNewborn, NewbornKnowledgeSchema, plausibleBirthWeight } from '../../src/knowledge/newborn.js';
import { drawNewborn, type NewbornDraw } from '../../src/timeline/pregnancy.js';

const k = loadNewborn();
const draws = (days: number, n: number): NewbornDraw[] => Array.from({ length: n }, (_, i) => drawNewborn(Rng.of(toSeed(7), 'newborn', days, i), days));
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const share = <T>(xs: readonly T[], keep: (x: T) => boolean): number => xs.filter(keep).length / xs.length;

describe('newborn draws (newborn.yaml)', () => {
  const term = draws(39 * 7 + 3, 6000);
  const preterm = draws(32 * 7, 4000);

  it('gives about 1.05 boys per girl', () => {
    const boys = share(term, (b) => b.infantSex === 'male');
    expect(boys / (1 - boys)).toBeGreaterThan(0.98);
    expect(boys / (1 - boys)).toBeLessThan(1.13);
  });

  it('weighs term babies about 3.3-3.5 kg, boys heavier than girls, preterm ones far less, always within the plausible range', () => {
    const boys = term.filter((b) => b.infantSex === 'male').map((b) => b.birthWeightGrams);
    const girls = term.filter((b) => b.infantSex === 'female').map((b) => b.birthWeightGrams);
    expect(median(boys)).toBeGreaterThan(3400);
    expect(median(boys)).toBeLessThan(3600);
    expect(median(girls)).toBeGreaterThan(3250);
    expect(median(girls)).toBeLessThan(median(boys));
    // Low birth weight (< 2,500 g) is rare at term, the rule at 32 weeks.
    expect(share(term, (b) => b.birthWeightGrams < 2500)).toBeLessThan(0.03);
    expect(median(preterm.map((b) => b.birthWeightGrams))).toBeGreaterThan(1600);
    expect(median(preterm.map((b) => b.birthWeightGrams))).toBeLessThan(1950);
    for (const b of [...term, ...preterm]) {
      const bounds = plausibleBirthWeight(k, b.infantSex, b.gestationalAgeDays / 7);
      expect(b.birthWeightGrams).toBeGreaterThanOrEqual(bounds.min);
      expect(b.birthWeightGrams).toBeLessThanOrEqual(bounds.max);
    }
  });

  it('scores most term babies 8 at one minute and 9 at five, five-minute scores under 7 in about 2%, lower when preterm', () => {
    const one = term.map((b) => b.apgar1);
    const counts = new Map<number, number>();
    for (const a of one) counts.set(a, (counts.get(a) ?? 0) + 1);
    const mode = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
    expect(mode).toBe(8);
    expect(share(term, (b) => b.apgar5 === 9)).toBeGreaterThan(0.7);
    expect(share(term, (b) => b.apgar5 < 7)).toBeGreaterThan(0.005);
    expect(share(term, (b) => b.apgar5 < 7)).toBeLessThan(0.035);
    expect(share(preterm, (b) => b.apgar5 < 7)).toBeGreaterThan(2 * share(term, (b) => b.apgar5 < 7));
    expect([...term, ...preterm].every((b) => b.apgar1 >= 0 && b.apgar1 <= b.apgar5 && b.apgar5 <= 10 && Number.isInteger(b.apgar1))).toBe(true);
  });

  it('rejects a weight curve that falls with week and bounds that do not bracket the median', () => {
    const falling = { ...k, weightByWeek: { ...k.weightByWeek, male: [[30, 1500], [32, 1400]] } };
    expect(NewbornKnowledgeSchema.safeParse(falling).success).toBe(false);
    expect(NewbornKnowledgeSchema.safeParse({ ...k, weightRatio: { min: 1.1, max: 1.6 } }).success).toBe(false);
    expect(NewbornKnowledgeSchema.safeParse({ ...k, apgar5: { ...k.apgar5, term: [1, 2] } }).success).toBe(false);
  });
});

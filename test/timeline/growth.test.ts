import { describe, expect, it } from 'vitest';
import { loadGrowthCharts } from '../../src/knowledge/growth-charts.js';
import { lmsAt, normalCdf, percentileOf, valueAtZ, zOfValue } from '../../src/timeline/growth.js';
import { bmiAt, createBody, heightAt, measure } from '../../src/timeline/body.js';
import { Rng, toSeed } from '../../src/core/random.js';

describe('growth charts', () => {
  const charts = loadGrowthCharts().charts;

  it('round-trips values and z-scores', () => {
    const lms = lmsAt(charts.bmiForAge, 'female', 120);
    for (const z of [-2, -1, 0, 1, 2]) expect(zOfValue(lms, valueAtZ(lms, z))).toBeCloseTo(z, 6);
  });

  it('puts the chart median at the 50th percentile', () => {
    const lms = lmsAt(charts.statureForAge, 'male', 180);
    expect(percentileOf(charts.statureForAge, 'male', 180, lms.m)).toBeCloseTo(50, 5);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 5);
  });

  it('gives CDC medians: about 176 cm for 20-year-old men and 163 cm for women', () => {
    expect(lmsAt(charts.statureForAge, 'male', 240).m).toBeGreaterThan(174);
    expect(lmsAt(charts.statureForAge, 'male', 240).m).toBeLessThan(178);
    expect(lmsAt(charts.statureForAge, 'female', 240).m).toBeGreaterThan(161);
    expect(lmsAt(charts.statureForAge, 'female', 240).m).toBeLessThan(165);
  });
});

describe('body trajectories', () => {
  it('grows smoothly: a child never shrinks and adult height stays put until 50', () => {
    for (let i = 0; i < 50; i++) {
      const body = createBody(Rng.of(toSeed(i), 'body'), i % 2 === 0 ? 'male' : 'female', 1980);
      let last = 0;
      for (let age = 0; age <= 20; age += 0.25) {
        const h = heightAt(body, age);
        expect(h).toBeGreaterThanOrEqual(last - 1); // the length-to-stature switch at 2 years drops ~0.8 cm
        last = h;
      }
      expect(Math.abs(heightAt(body, 45) - heightAt(body, 25))).toBeLessThan(0.01);
    }
  });

  it('keeps consecutive measurements close: weight moves by kilos, not tens of kilos, between yearly visits', () => {
    const rng = Rng.of(toSeed(3), 'visits');
    for (let i = 0; i < 50; i++) {
      const body = createBody(Rng.of(toSeed(100 + i), 'body'), 'female', 1970);
      for (let age = 25; age < 70; age++) {
        const a = measure(body, age, rng);
        const b = measure(body, age + 1, rng);
        expect(Math.abs(a.weightKg - b.weightKg)).toBeLessThan(8);
      }
    }
  });

  it('measures age-appropriate vitals only', () => {
    const body = createBody(Rng.of(toSeed(9), 'body'), 'male', 2020);
    const infant = measure(body, 0.5, Rng.of(toSeed(9), 'm'));
    expect(infant.headCircumferenceCm).toBeDefined();
    expect(infant.weightForLengthPercentile).toBeDefined();
    expect(infant.bmi).toBeUndefined();
    expect(infant.systolic).toBeUndefined();
    const adult = measure(body, 40, Rng.of(toSeed(9), 'm'));
    expect(adult.headCircumferenceCm).toBeUndefined();
    expect(adult.bmiPercentile).toBeUndefined();
    expect(adult.systolic).toBeGreaterThan(adult.diastolic!);
    expect(bmiAt(body, 40)).toBeGreaterThan(15);
  });
});

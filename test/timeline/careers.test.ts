import { describe, expect, it } from 'vitest';
import { loadCareers } from '../../src/knowledge/careers.js';
import { MS_PER_YEAR, type IsoDate } from '../../src/core/time.js';
import { createCohortContext, simulateIndex } from '../../src/timeline/cohort.js';
import { ProviderDirectory } from '../../src/timeline/providers.js';
import { keyOf, toSeed } from '../../src/core/random.js';

const REF = Date.parse('2025-06-01T00:00:00Z');
const at = (year: number): number => Date.parse(`${year}-06-01T00:00:00Z`);
const directory = new ProviderDirectory(keyOf(toSeed(11), 'careers-test'), REF);
const ca = directory.forState('CA');

describe('practitioner careers', () => {
  it('fills every post with one physician at a time, each for a career of plausible length', () => {
    const c = loadCareers();
    const shortest = c.retireAge.min - c.startAge.max;
    const longest = c.retireAge.max - c.startAge.min;
    for (const site of [...ca.clinics, ...ca.hospitals]) {
      for (const post of site.staff) {
        const seen = new Set<string>();
        for (let year = 1925; year <= 2025; year += 2) {
          const p = directory.holderAt(post.id, at(year))!;
          expect(p.id).not.toBe(post.id);
          const { start, end } = p.career!;
          expect(start).toBeLessThanOrEqual(at(year));
          if (end !== undefined) {
            expect(end).toBeGreaterThanOrEqual(at(year));
            expect((end - start) / MS_PER_YEAR).toBeGreaterThanOrEqual(shortest - 2 / 365);
            expect((end - start) / MS_PER_YEAR).toBeLessThanOrEqual(longest + 2 / 365);
            expect(end).toBeLessThanOrEqual(REF);
          }
          seen.add(p.id);
        }
        // A century of practice takes at least three careers.
        expect(seen.size).toBeGreaterThanOrEqual(3);
      }
    }
  });

  it('trains each physician in the specialty of their day: general practice before emergency medicine, internists before hospitalists', () => {
    const hospital = ca.hospitals[0]!;
    const ed = hospital.staff.find((p) => p.role === 'emergency')!;
    const hosp = hospital.staff.find((p) => p.role === 'hospitalist')!;
    for (let year = 1930; year <= 2025; year++) {
      const e = directory.holderAt(ed.id, at(year))!;
      const h = directory.holderAt(hosp.id, at(year))!;
      expect(e.specialty.code).toBe(e.career!.start < Date.parse('1979-09-21') ? '208D00000X' : '207P00000X');
      expect(h.specialty.code).toBe(h.career!.start >= Date.parse('1996-08-15') ? '208M00000X' : h.career!.start >= Date.parse('1936-06-01') ? '207R00000X' : '208D00000X');
    }
  });

  it('charts every encounter with a physician in practice, and moves a patient to a new doctor when theirs retires', () => {
    const ctx = createCohortContext({ seed: toSeed(11), referenceDate: '2025-06-01' as IsoDate, age: { min: 70, max: 90 }, gender: undefined, state: undefined });
    let changedDoctor = 0;
    for (let i = 0; i < 30; i++) {
      const r = simulateIndex(ctx, i).at(-1)!;
      const byId = new Map(r.providers.practitioners.map((p) => [p.id, p]));
      for (const e of r.encounters) {
        const p = byId.get(e.practitionerId)!;
        expect(p.career!.start).toBeLessThanOrEqual(e.start);
        if (p.career!.end !== undefined) expect(p.career!.end).toBeGreaterThanOrEqual(e.start);
      }
      const checkups = r.encounters.filter((e) => e.type.code === '162673000');
      if (new Set(checkups.map((e) => e.practitionerId)).size > 1) changedDoctor++;
      expect(byId.get(r.primaryCare.practitionerId)?.career?.end).toBeUndefined();
    }
    expect(changedDoctor).toBeGreaterThan(10);
  });
});

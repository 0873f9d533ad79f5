/**
 * Issue 11: a product that leaves the US market (U-40 insulin after 1979, beef-pork insulin after
 * 1999; availability.yaml `until`) is changed at the next visit even for a patient who would stay
 * on it: here every patient stays (`neverShare` 1), so each change seen is a withdrawal's.
 */
import { describe, expect, it, vi } from 'vitest';
import { toSeed } from '../../src/core/random.js';
import { MS_PER_YEAR, type IsoDate } from '../../src/core/time.js';
import { periodOf } from '../../src/knowledge/availability.js';
import type { PatientRecord } from '../../src/record/types.js';
import { createCohortContext, simulateIndex } from '../../src/timeline/cohort.js';

vi.mock('../../src/knowledge/availability.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/knowledge/availability.js')>();
  return { ...real, loadEraSwitch: () => ({ ...real.loadEraSwitch(), neverShare: 1 }) };
});

describe('era switch when a product is withdrawn', () => {
  it('changes every patient off U-40 and beef-pork insulin once they left the market, though all would stay', () => {
    const ctx = createCohortContext({ seed: toSeed(11), referenceDate: '2025-06-01' as IsoDate, age: { min: 75, max: 100 }, gender: undefined, state: undefined });
    // The patients of the 75-100 cohort (seed 11) on U-40 or beef-pork insulin; simulated alone, each as in the cohort.
    const records: PatientRecord[] = [2, 28, 29, 51].flatMap((i) => simulateIndex(ctx, i));
    let withdrawn = 0;
    let newer = 0;
    for (const r of records) {
      const end = r.death?.time ?? Date.parse('2025-06-01T00:00:00Z');
      for (const o of r.medications) {
        if (o.stopReason?.includes('newer agent') === true) newer++;
        const until = periodOf(o.medication.system, o.medication.code)?.until ?? Infinity;
        if (until >= end - 2 * MS_PER_YEAR || o.authored >= until) continue;
        expect(o.end, `${o.medication.display} from ${new Date(o.authored).toISOString()}`).toBeDefined();
        // Stopped before the product's end for another reason, or changed within two years after it.
        expect(o.end!).toBeLessThan(until + 2 * MS_PER_YEAR);
        if (o.stopReason?.includes('discontinued in the US') === true) withdrawn++;
      }
    }
    expect(newer).toBe(0);
    expect(withdrawn).toBeGreaterThan(0);
  });
});

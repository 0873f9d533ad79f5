import { describe, expect, it } from 'vitest';
import type { Encounter, VitalSign } from '../../src/record/types.js';
import { ITEM_LISTS, concatFragments, mergeFragments } from '../../src/timeline/fragment.js';
import { createCohortContext, simulateIndex } from '../../src/timeline/cohort.js';
import { toSeed } from '../../src/core/random.js';
import type { IsoDate } from '../../src/core/time.js';

function encounter(id: string, start: number): Encounter {
  return {
    id,
    class: 'AMB',
    type: { system: 'http://snomed.info/sct', code: '185349003', display: 'Encounter for check up' },
    start,
    end: start + 1,
    practitionerId: 'p',
    organizationId: 'o',
    locationId: 'l',
    reason: undefined,
  };
}

function vital(id: string): VitalSign {
  return { id, kind: 'heartRate', encounterId: 'e', time: 0, value: 70 };
}

describe('record fragments', () => {
  it('concatenate list by list in fragment order, every list present', () => {
    const items = concatFragments([{ vitals: [vital('a'), vital('b')] }, {}, { vitals: [vital('c')], encounters: [encounter('x', 5)] }]);
    expect(items.vitals.map((v) => v.id)).toEqual(['a', 'b', 'c']);
    expect(Object.keys(items)).toEqual([...ITEM_LISTS]);
    expect(items.allergies).toEqual([]);
  });

  it('merge sorts encounters by start once, keeping charting order among equal starts', () => {
    const merged = mergeFragments([
      { encounters: [encounter('late', 30), encounter('tie-1', 10)] },
      { encounters: [encounter('early', 0), encounter('tie-2', 10)] },
    ]);
    expect(merged.encounters.map((e) => e.id)).toEqual(['early', 'tie-1', 'tie-2', 'late']);
  });

  it('simulated records carry their encounters in time order', () => {
    const ctx = createCohortContext({ seed: toSeed(21), referenceDate: '2025-06-01' as IsoDate, age: { min: 50, max: 90 }, gender: undefined, state: undefined });
    const records = Array.from({ length: 30 }, (_, i) => simulateIndex(ctx, i)).flat();
    expect(records.some((r) => r.encounters.some((e) => e.class !== 'AMB'))).toBe(true);
    for (const r of records) {
      const starts = r.encounters.map((e) => e.start);
      expect(starts).toEqual([...starts].sort((a, b) => a - b));
    }
  });
});

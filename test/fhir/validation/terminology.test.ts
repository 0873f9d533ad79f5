import { describe, expect, it } from 'vitest';
import { loadProfiles } from '../../../src/fhir/validation/index.js';

describe('offline value-set expansion (base R4 only)', () => {
  it('expands FHIR core value sets and refuses ones that need a terminology server', async () => {
    const { terminology, igs } = await loadProfiles({ igPaths: [] });
    expect(igs).toEqual([]);
    const gender = terminology.expand('http://hl7.org/fhir/ValueSet/administrative-gender|4.0.1');
    expect(gender.kind).toBe('codes');
    if (gender.kind === 'codes') {
      expect([...gender.codes].sort()).toEqual(['female', 'male', 'other', 'unknown']);
      expect(gender.systemCodes.has('http://hl7.org/fhir/administrative-gender|male')).toBe(true);
    }
    const observationCodes = terminology.expand('http://hl7.org/fhir/ValueSet/observation-codes');
    expect(observationCodes).toMatchObject({ kind: 'unverifiable' });
    expect(terminology.expand('http://example.org/ValueSet/missing')).toMatchObject({ kind: 'unverifiable' });
  });
});

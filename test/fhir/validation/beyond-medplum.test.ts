/**
 * Rules our validator checks beyond Medplum's validateResource, each a defect HAPI FHIR's validator
 * reports (the interop tier, test/interop/hapi-validator.test.ts, judges the same cases with HAPI).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { isCalendarDay } from '../../../src/fhir/validation/fast-checker.js';
import { createValidator, loadProfiles, type Validator } from '../../../src/fhir/validation/index.js';
import { HAS_US_CORE, NO_US_CORE, P, US_CORE, validBloodPressure, validPatient } from './us-core.js';

const errors = (v: Validator, r: unknown): string[] => v.validate(r).filter((i) => i.severity === 'error').map((i) => `${i.path}: ${i.message}`);

describe('isCalendarDay', () => {
  it('knows month lengths and leap years', () => {
    expect(['2024-02-29', '2000-02-29', '2023-01-31', '2023-04-30', '2023', '2023-02', '2023-12-31T23:59:59Z'].every(isCalendarDay)).toBe(true);
    expect(['2023-02-29', '1900-02-29', '2023-04-31', '2023-02-30T10:00:00Z', '2023-06-00'].some(isCalendarDay)).toBe(false);
  });
});

describe(`validation beyond Medplum${NO_US_CORE}`, () => {
  let validator: Validator;
  beforeAll(async () => {
    if (HAS_US_CORE) validator = createValidator(await loadProfiles({ igPaths: [US_CORE] }));
  });

  it.skipIf(!HAS_US_CORE)('refuses a date that is not a calendar day', () => {
    expect(errors(validator, { ...validPatient(), birthDate: '2023-02-29' })).toEqual(['Patient.birthDate: Invalid date: no such day']);
    expect(errors(validator, { ...validPatient(), birthDate: '2024-02-29' })).toEqual([]);
  });

  it.skipIf(!HAS_US_CORE)("checks a datatype's own invariants where it is used (Period per-1)", () => {
    const backwards = { ...validPatient(), name: [{ family: 'Shaw', given: ['Amy'], period: { start: '2020-01-02', end: '2020-01-01' } }] };
    expect(errors(validator, backwards)).toEqual([expect.stringContaining('per-1')]);
    const forwards = { ...validPatient(), name: [{ family: 'Shaw', given: ['Amy'], period: { start: '2020-01-01T00:00:00Z', end: '2020-01-02T00:00:00Z' } }] };
    expect(errors(validator, forwards)).toEqual([]);
  });

  it.skipIf(!HAS_US_CORE)("holds a value in a slice to the slice's own element rules (US Core heart rate in /min)", () => {
    const heartRate = (code: string) => ({
      ...validBloodPressure(),
      id: 'hr',
      meta: { profile: [P('us-core-heart-rate')] },
      code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
      component: undefined,
      valueQuantity: { value: 72, unit: code, system: 'http://unitsofmeasure.org', code },
    });
    expect(errors(validator, heartRate('/min'))).toEqual([]);
    expect(errors(validator, heartRate('kg'))).toEqual(['Observation.value[x].code: Value did not match expected pattern']);
  });

  it.skipIf(!HAS_US_CORE)('holds blood pressure components to their fixed unit', () => {
    const bp = validBloodPressure();
    (bp.component[0]!.valueQuantity as { code: string }).code = 'kg';
    expect(errors(validator, bp).length).toBeGreaterThan(0);
  });
});

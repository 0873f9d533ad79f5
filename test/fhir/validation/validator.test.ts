import { beforeAll, describe, expect, it } from 'vitest';
import { createValidator, loadProfiles, type ValidationIssue, type Validator } from '../../../src/fhir/validation/index.js';
import { HAS_US_CORE, NO_US_CORE, P, US_CORE, validBloodPressure, validPatient } from './us-core.js';

const errors = (issues: ValidationIssue[]): ValidationIssue[] => issues.filter((i) => i.severity === 'error');

describe(`validator with US Core 6.1.0${NO_US_CORE}`, () => {
  let validator: Validator;
  beforeAll(async () => {
    if (HAS_US_CORE) validator = createValidator(await loadProfiles({ igPaths: [US_CORE] }));
  });

  it.skipIf(!HAS_US_CORE)('passes a valid US Core Patient', () => {
    expect(validator.validate(validPatient())).toEqual([]);
  });

  it.skipIf(!HAS_US_CORE)('catches a missing required element at its path', () => {
    const patient = validPatient();
    delete patient.name;
    const found = errors(validator.validate(patient));
    expect(found.map((i) => i.path)).toEqual(['Patient.name']);
    expect(found[0]?.profile).toBe(P('us-core-patient'));
  });

  it.skipIf(!HAS_US_CORE)('catches a code outside a required binding (which Medplum alone passes)', () => {
    const found = errors(validator.validate({ ...validPatient(), gender: 'mail' }));
    expect(found).toHaveLength(1);
    expect(found[0]?.path).toBe('Patient.gender');
    expect(found[0]?.message).toContain('administrative-gender');
  });

  it.skipIf(!HAS_US_CORE)('catches a required binding miss inside an array, with the index', () => {
    const patient = { ...validPatient(), telecom: [{ system: 'phone', value: '1' }, { system: 'pager!', value: '2' }] };
    expect(errors(validator.validate(patient)).map((i) => i.path)).toEqual(['Patient.telecom[1].system']);
  });

  it.skipIf(!HAS_US_CORE)('catches a bad date', () => {
    const found = errors(validator.validate({ ...validPatient(), birthDate: '2020-13-01' }));
    expect(found.map((i) => i.path)).toEqual(['Patient.birthDate']);
  });

  it.skipIf(!HAS_US_CORE)('catches a profile for another resource type', () => {
    const found = errors(validator.validate({ ...validPatient(), meta: { profile: [P('us-core-encounter')] } }));
    expect(found.map((i) => i.path)).toEqual(['Patient.meta.profile']);
    expect(found[0]?.message).toContain('is for Encounter');
  });

  it.skipIf(!HAS_US_CORE)('warns by name about a profile no loaded IG defines, and still checks base R4', () => {
    const issues = validator.validate({ ...validPatient(), gender: 'mail', meta: { profile: ['http://example.org/StructureDefinition/nope'] } });
    expect(issues.filter((i) => i.severity === 'warning').map((i) => i.message).join()).toContain('http://example.org/StructureDefinition/nope');
    expect(errors(issues).map((i) => i.path)).toEqual(['Patient.gender']);
  });

  it.skipIf(!HAS_US_CORE)('reports an unknown resource type and a non-object as errors, never throwing', () => {
    expect(errors(validator.validate({ resourceType: 'Patientt', id: 'x' }))[0]?.message).toContain("unknown resource type 'Patientt'");
    expect(errors(validator.validate('nope'))).toHaveLength(1);
    expect(errors(validator.validate({ id: 'x' }))[0]?.message).toContain('resourceType');
  });

  it.skipIf(!HAS_US_CORE)('checks pattern values of vital-sign profiles', () => {
    const bp = validBloodPressure();
    expect(errors(validator.validate(bp))).toEqual([]);
    const noDiastolic = { ...bp, component: bp.component.slice(0, 1) };
    expect(errors(validator.validate(noDiastolic)).map((i) => i.path)).toContain('Observation.component');
  });

  it.skipIf(!HAS_US_CORE)('counts bindings it cannot verify offline instead of passing them', () => {
    const before = validator.unverifiedBindings.get('http://hl7.org/fhir/us/core/ValueSet/us-core-laboratory-test-codes')?.count ?? 0;
    const lab = {
      resourceType: 'Observation',
      id: 'lab',
      meta: { profile: [P('us-core-observation-lab')] },
      status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: '2345-7' }] },
      subject: { reference: 'Patient/p1' },
      effectiveDateTime: '2024-01-01',
      valueQuantity: { value: 5, unit: 'mmol/L', system: 'http://unitsofmeasure.org', code: 'mmol/L' },
    };
    expect(errors(validator.validate(lab))).toEqual([]);
    const after = validator.unverifiedBindings.get('http://hl7.org/fhir/us/core/ValueSet/us-core-laboratory-test-codes')?.count ?? 0;
    expect(after).toBe(before + 1);
  });
});

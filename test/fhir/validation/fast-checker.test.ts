/**
 * The compiled fast checker must reach the same verdicts as Medplum's validateResource (plus our
 * binding checks, shared by both engines): same issues, same paths, same messages.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isBase64 } from '../../../src/fhir/validation/fast-checker.js';
import { createValidator, loadProfiles, type ValidationIssue, type Validator } from '../../../src/fhir/validation/index.js';
import { HAS_US_CORE, NO_US_CORE, P, US_CORE, validBloodPressure, validPatient } from './us-core.js';

const key = (issues: ValidationIssue[]): string[] => issues.map((i) => `${i.severity} ${i.path} ${i.profile ?? ''} ${i.message}`).sort();

/** Hand-broken resources: each must fail, and both engines must say so identically. */
function brokenResources(): [string, Record<string, unknown>][] {
  const noName = validPatient();
  delete noName.name;
  const bp = validBloodPressure();
  return [
    ['missing required element', noName],
    ['code outside a required binding', { ...validPatient(), gender: 'mail' }],
    ['bad date', { ...validPatient(), birthDate: '2020-13-01' }],
    ['bad dateTime', { ...bp, effectiveDateTime: '2024-01-01T25:00:00Z' }],
    ['wrong profile', { ...validPatient(), meta: { profile: [P('us-core-encounter')] } }],
    ['unknown property', { ...validPatient(), nickname: 'Amy' }],
    ['null value', { ...validPatient(), birthDate: null }],
    ['wrong JSON type', { ...validPatient(), active: 'yes' }],
    ['single value given as array', { ...validPatient(), gender: ['female'] }],
    ['slice missing (no diastolic)', { ...bp, component: (bp.component as unknown[]).slice(0, 1) }],
    ['pattern mismatch (category)', { ...bp, category: [{ coding: [{ system: 'http://example.org', code: 'x' }] }] }],
    ['obs-6: value and dataAbsentReason', { ...bp, valueQuantity: { value: 1 }, dataAbsentReason: { text: 'x' } }],
    ['ext-1: extension with value and extensions', { ...validPatient(), extension: [{ url: 'http://example.org/x', valueString: 'a', extension: [{ url: 'y', valueString: 'b' }] }] }],
    ['ext-1: empty extension', { ...validPatient(), extension: [{ url: 'http://example.org/x' }] }],
    ['negative positiveInt', { ...validPatient(), telecom: [{ system: 'phone', value: '1', rank: 0 }] }],
    ['bad base64', { resourceType: 'Binary', id: 'b', contentType: 'text/plain', data: 'abc' }],
    ['unknown resource type', { resourceType: 'Patientt', id: 'x' }],
  ];
}

describe(`fast checker equals Medplum's validator${NO_US_CORE}`, () => {
  let fast: Validator;
  let medplum: Validator;
  beforeAll(async () => {
    if (!HAS_US_CORE) return;
    const profiles = await loadProfiles({ igPaths: [US_CORE] });
    fast = createValidator(profiles);
    medplum = createValidator(profiles, { engine: 'medplum' });
  });

  it.skipIf(!HAS_US_CORE)('agrees on every official US Core example', () => {
    const dir = join(US_CORE, 'example');
    let compared = 0;
    for (const name of readdirSync(dir)) {
      const json = JSON.parse(readFileSync(join(dir, name), 'utf8')) as { resourceType: string; entry?: { resource?: unknown }[] };
      const resources = json.resourceType === 'Bundle' ? (json.entry ?? []).map((e) => e.resource) : [json];
      for (const r of resources) {
        expect(key(fast.validate(r)), name).toEqual(key(medplum.validate(r)));
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(180);
  });

  it.skipIf(!HAS_US_CORE)('agrees on valid hand-made resources (both clean)', () => {
    for (const r of [validPatient(), validBloodPressure()]) {
      expect(key(fast.validate(r))).toEqual([]);
      expect(key(medplum.validate(r))).toEqual([]);
    }
  });

  for (const [name, resource] of brokenResources()) {
    it.skipIf(!HAS_US_CORE)(`agrees on a broken resource: ${name}`, () => {
      const fromFast = fast.validate(resource);
      expect(fromFast.some((i) => i.severity === 'error'), JSON.stringify(fromFast)).toBe(true);
      expect(key(fromFast)).toEqual(key(medplum.validate(resource)));
    });
  }
});

describe('isBase64', () => {
  it('accepts exactly what the base64Binary pattern accepts', () => {
    const pattern = /^([A-Za-z\d+/]{4})*([A-Za-z\d+/]{2}==|[A-Za-z\d+/]{3}=)?$/;
    const samples = ['', 'QQ==', 'QUI=', 'QUJD', 'QUJDRA==', 'abc', 'ab=', '====', 'a===', 'QU=I', 'QUJ D', 'QUJD\n', 'Q-_=', '+/+/', 'QUJDRA=', 'QUJDRA===', '=QUJ'];
    for (const s of samples) expect(isBase64(s), s).toBe(pattern.test(s));
  });
});

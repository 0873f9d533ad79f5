import { describe, expect, it } from 'vitest';
import { ServerError } from '../../src/errors.js';
import { capabilitiesOf } from '../../src/sinks/fhir-server/capability.js';
import { splitBundle } from '../../src/sinks/fhir-server/split.js';
import type { PatientBundle } from '../../src/sinks/fhir-server/output.js';

describe('CapabilityStatement checks', () => {
  const r4 = { resourceType: 'CapabilityStatement', fhirVersion: '4.0.1', rest: [{ mode: 'server', interaction: [{ code: 'transaction' }] }] };

  it('accepts R4 with transactions and sees $import', () => {
    expect(capabilitiesOf('u', r4, true).transactions).toBe(true);
    const withImport = { ...r4, rest: [{ ...r4.rest[0], operation: [{ name: 'import', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/import' }] }] };
    expect(capabilitiesOf('u', withImport, true).bulkImport).toBe(true);
    expect(capabilitiesOf('u', r4, true).bulkImport).toBe(false);
  });

  it('refuses STU3, servers without transactions, and non-FHIR answers', () => {
    expect(() => capabilitiesOf('u', { ...r4, fhirVersion: '3.0.2' }, true)).toThrow(/speaks FHIR 3.0.2, not R4/);
    expect(() => capabilitiesOf('u', { ...r4, rest: [{ mode: 'server', interaction: [] }] }, true)).toThrow(/does not support FHIR transactions/);
    expect(() => capabilitiesOf('u', '<html>', true)).toThrow(ServerError);
  });
});

describe('splitting a patient bundle', () => {
  const entry = (type: string, id: string, extra: Record<string, unknown> = {}) => ({
    fullUrl: `urn:uuid:${id}`,
    resource: { resourceType: type, id, ...extra },
    request: { method: 'PUT' as const, url: `${type}/${id}` },
  });
  const bundle: PatientBundle = {
    resourceType: 'Bundle',
    id: 'p',
    type: 'transaction',
    entry: [
      entry('Observation', 'o1', { subject: { reference: 'urn:uuid:p' } }),
      entry('Patient', 'p', { managingOrganization: { reference: 'urn:uuid:org' } }),
      entry('Encounter', 'e1', { subject: { reference: 'urn:uuid:p' } }),
      entry('Organization', 'org'),
    ],
  };

  it('keeps a small bundle whole', () => {
    expect(splitBundle(bundle, undefined)).toEqual([bundle]);
    expect(splitBundle(bundle, 4)).toEqual([bundle]);
  });

  it('orders referenced types first and rewrites urn:uuid references to Type/id', () => {
    const parts = splitBundle(bundle, 2);
    expect(parts.map((p) => p.entry.map((e) => e.resource.resourceType))).toEqual([['Organization', 'Patient'], ['Encounter', 'Observation']]);
    expect(JSON.stringify(parts)).not.toContain('urn:uuid:');
    expect((parts[1]?.entry[1]?.resource as { subject: { reference: string } }).subject.reference).toBe('Patient/p');
  });

  it('loads the Provenance after every resource it targets, even types ranked nowhere', () => {
    const provenance = entry('Provenance', 'prov', { target: [{ reference: 'urn:uuid:p' }, { reference: 'urn:uuid:cov' }] });
    const withProvenance: PatientBundle = { ...bundle, entry: [provenance, ...bundle.entry, entry('Coverage', 'cov', { beneficiary: { reference: 'urn:uuid:p' } })] };
    const order = splitBundle(withProvenance, 2).flatMap((p) => p.entry.map((e) => e.resource.resourceType));
    expect(order).toEqual(['Organization', 'Patient', 'Encounter', 'Observation', 'Coverage', 'Provenance']);
  });
});

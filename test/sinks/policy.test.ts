import { describe, expect, it } from 'vitest';
import { ServerError } from '../../src/errors.js';
import { capabilitiesOf } from '../../src/sinks/fhir-server/capability.js';
import { classifyStatus, parseRetryAfter, retryDelayMs } from '../../src/sinks/fhir-server/retry.js';
import { splitBundle } from '../../src/sinks/fhir-server/split.js';
import type { PatientBundle } from '../../src/sinks/fhir-server/output.js';

describe('retry policy', () => {
  const policy = { attempts: 6, baseDelayMs: 100, maxDelayMs: 5000 };

  it('honours Retry-After in seconds and as an HTTP date, capped by the policy', () => {
    expect(retryDelayMs(policy, 1, '2', 0.9)).toBe(2000);
    expect(retryDelayMs(policy, 1, '120', 0.9)).toBe(5000);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:03 GMT', now)).toBe(3000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });

  it('backs off exponentially with jitter inside [ceiling/2, ceiling]', () => {
    expect(retryDelayMs(policy, 1, undefined, 0)).toBe(50);
    expect(retryDelayMs(policy, 1, undefined, 0.999)).toBe(100);
    expect(retryDelayMs(policy, 4, undefined, 0)).toBe(400);
    expect(retryDelayMs(policy, 20, undefined, 0.999)).toBe(4998);
    expect(retryDelayMs(policy, 20, undefined, 0)).toBe(2500);
  });

  it('retries throttling, 5xx and dropped connections; not other 4xx', () => {
    expect(classifyStatus(429)).toBe('throttled');
    expect(classifyStatus(503)).toBe('server');
    expect(classifyStatus(409)).toBe('server');
    expect(classifyStatus(undefined)).toBe('network');
    expect(classifyStatus(401)).toBe('auth');
    expect(classifyStatus(400)).toBe('fatal');
    expect(classifyStatus(412)).toBe('fatal');
  });
});

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
});

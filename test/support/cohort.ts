import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Writes a small cohort in the exact shape of `chartwright generate`'s output contract
 * (OUT/fhir/<patient-id>.json transaction bundles with urn:uuid references, OUT/ndjson, OUT/manifest.json),
 * so upload and serve can be tested without the generator.
 */
export interface CohortSpec {
  readonly patients: number;
  readonly seed: number;
  readonly encountersPerPatient?: number;
  readonly observationsPerEncounter?: number;
}

export interface WrittenCohort {
  readonly runTag: string;
  readonly patientIds: readonly string[];
  /** Distinct resources per type across the cohort (shared resources counted once). */
  readonly counts: Readonly<Record<string, number>>;
}

const RUN_TAG_SYSTEM = 'https://chartwright.dev/fhir/CodeSystem/run-tag';
const US_CORE = 'http://hl7.org/fhir/us/core/StructureDefinition/';

export function uuidOf(...parts: (string | number)[]): string {
  const h = createHash('sha256').update(parts.join('|')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

type Json = Record<string, unknown>;

export async function writeCohort(out: string, spec: CohortSpec): Promise<WrittenCohort> {
  const runTag = createHash('sha256').update(`run|${spec.seed}`).digest('hex').slice(0, 16);
  const meta = (profile: string): Json => ({
    profile: [`${US_CORE}${profile}`],
    tag: [
      { system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'HTEST', display: 'test health data' },
      { system: RUN_TAG_SYSTEM, code: runTag },
    ],
  });
  const orgId = uuidOf(spec.seed, 'org');
  const practId = uuidOf(spec.seed, 'practitioner');
  const locId = uuidOf(spec.seed, 'location');
  const shared: Json[] = [
    { resourceType: 'Organization', id: orgId, meta: meta('us-core-organization'), active: true, name: 'Chartwright Test Clinic' },
    { resourceType: 'Practitioner', id: practId, meta: meta('us-core-practitioner'), name: [{ family: 'Osler', given: ['William'], prefix: ['Dr.'] }], identifier: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' }] },
    { resourceType: 'Location', id: locId, meta: meta('us-core-location'), status: 'active', name: 'Main Street Clinic', managingOrganization: { reference: `urn:uuid:${orgId}` } },
  ];
  const ndjson = new Map<string, string[]>();
  const addNdjson = (resource: Json): void => {
    const text = JSON.stringify(resource).replace(/"urn:uuid:([0-9a-f-]{36})"/g, (_m, id: string) => `"${typeOfId.get(id) ?? 'Unknown'}/${id}"`);
    const type = resource.resourceType as string;
    ndjson.set(type, [...(ndjson.get(type) ?? []), text]);
  };
  const typeOfId = new Map<string, string>([[orgId, 'Organization'], [practId, 'Practitioner'], [locId, 'Location']]);
  await mkdir(join(out, 'fhir'), { recursive: true });
  await mkdir(join(out, 'ndjson'), { recursive: true });
  const counts: Record<string, number> = { Organization: 1, Practitioner: 1, Location: 1 };
  const patientIds: string[] = [];
  const encounters = spec.encountersPerPatient ?? 3;
  const observations = spec.observationsPerEncounter ?? 4;
  for (let p = 0; p < spec.patients; p += 1) {
    const pid = uuidOf(spec.seed, p, 'patient');
    patientIds.push(pid);
    typeOfId.set(pid, 'Patient');
    const resources: Json[] = [
      {
        resourceType: 'Patient',
        id: pid,
        meta: meta('us-core-patient'),
        identifier: [{ system: 'https://chartwright.dev/fhir/sid/mrn', value: `MRN${String(p).padStart(6, '0')}` }],
        name: [{ use: 'official', family: `Family${p % 17}`, given: [`Given${p}`] }],
        gender: p % 2 === 0 ? 'female' : 'male',
        birthDate: `${1940 + (p % 60)}-0${1 + (p % 9)}-1${p % 10}`,
        managingOrganization: { reference: `urn:uuid:${orgId}` },
      },
    ];
    for (let e = 0; e < encounters; e += 1) {
      const eid = uuidOf(spec.seed, p, 'encounter', e);
      typeOfId.set(eid, 'Encounter');
      const date = `${2015 + e}-0${1 + (p % 9)}-15`;
      resources.push({
        resourceType: 'Encounter',
        id: eid,
        meta: meta('us-core-encounter'),
        status: 'finished',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
        type: [{ coding: [{ system: 'http://snomed.info/sct', code: '185349003', display: 'Encounter for check up' }] }],
        subject: { reference: `urn:uuid:${pid}` },
        participant: [{ individual: { reference: `urn:uuid:${practId}` } }],
        period: { start: `${date}T09:00:00Z`, end: `${date}T09:30:00Z` },
        location: [{ location: { reference: `urn:uuid:${locId}` } }],
        serviceProvider: { reference: `urn:uuid:${orgId}` },
      });
      for (let o = 0; o < observations; o += 1) {
        const oid = uuidOf(spec.seed, p, 'observation', e, o);
        typeOfId.set(oid, 'Observation');
        resources.push({
          resourceType: 'Observation',
          id: oid,
          meta: meta('us-core-vital-signs'),
          status: 'final',
          category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
          code: { coding: [{ system: 'http://loinc.org', code: o % 2 === 0 ? '8867-4' : '29463-7', display: o % 2 === 0 ? 'Heart rate' : 'Body weight' }] },
          subject: { reference: `urn:uuid:${pid}` },
          encounter: { reference: `urn:uuid:${eid}` },
          effectiveDateTime: `${date}T09:10:00Z`,
          valueQuantity: o % 2 === 0 ? { value: 60 + ((p + o) % 40), unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' } : { value: 50 + ((p * 7 + o) % 50), unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' },
        });
      }
    }
    counts.Patient = (counts.Patient ?? 0) + 1;
    counts.Encounter = (counts.Encounter ?? 0) + encounters;
    counts.Observation = (counts.Observation ?? 0) + encounters * observations;
    const all = [...resources, ...shared];
    const bundle = {
      resourceType: 'Bundle',
      id: pid,
      meta: { tag: [{ system: RUN_TAG_SYSTEM, code: runTag }] },
      type: 'transaction',
      timestamp: '2025-01-01T00:00:00Z',
      entry: all.map((resource) => ({
        fullUrl: `urn:uuid:${resource.id as string}`,
        resource,
        request: { method: 'PUT', url: `${resource.resourceType as string}/${resource.id as string}` },
      })),
    };
    await writeFile(join(out, 'fhir', `${pid}.json`), JSON.stringify(bundle));
    for (const resource of resources) addNdjson(resource);
  }
  for (const resource of shared) addNdjson(resource);
  for (const [type, lines] of ndjson) await writeFile(join(out, 'ndjson', `${type}.ndjson`), `${lines.join('\n')}\n`);
  const manifest = {
    tool: 'chartwright',
    version: '0.1.0',
    seed: spec.seed,
    options: {},
    referenceDate: '2025-01-01',
    runTag,
    counts: { patients: { living: spec.patients, deceased: 0 }, resources: counts },
    wallTimeMs: 0,
  };
  await writeFile(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return { runTag, patientIds, counts };
}

import { describe, expect, it } from 'vitest';
import type { Organization, Provenance, Resource } from '@medplum/fhirtypes';
import { toSeed } from '../../src/core/random.js';
import { instantToDateTime, type IsoDate } from '../../src/core/time.js';
import { MetaFactory } from '../../src/fhir/meta.js';
import { PROFILES } from '../../src/fhir/profiles.js';
import { inlineSlicedContentReferences } from '../../src/fhir/profiles/content-reference.js';
import { provenanceResource } from '../../src/fhir/provenance.js';
import { recordToResources, SHARED_TYPES } from '../../src/fhir/record-to-fhir.js';
import { createValidator, loadProfiles } from '../../src/fhir/validation/index.js';
import type { PatientRecord } from '../../src/record/types.js';
import { createCohortContext, simulateIndex } from '../../src/timeline/cohort.js';
import { HAS_US_CORE, NO_US_CORE, US_CORE } from './validation/us-core.js';

const ctx = createCohortContext({ seed: toSeed(5), referenceDate: '2025-06-01' as IsoDate, age: undefined, gender: undefined, state: undefined });
const records: PatientRecord[] = [];
for (let i = 0; i < 40; i++) records.push(...simulateIndex(ctx, i));
const meta = new MetaFactory('test');
const recorded = instantToDateTime(ctx.referenceTime);
const bundles = records.map((r) => {
  const resources = recordToResources(r, meta);
  return { r, resources, provenance: provenanceResource(r, resources, recorded, meta) };
});

describe('one Provenance per bundle', () => {
  it('targets every resource of the patient in bundle order, and no shared provider', () => {
    for (const { resources, provenance } of bundles) {
      const own = resources.filter((x) => !SHARED_TYPES.has(x.resourceType));
      expect(provenance.target.map((t) => t.reference)).toEqual(own.map((x) => `urn:uuid:${x.id}`));
      expect(own.some((x) => x.resourceType === 'Patient')).toBe(true);
    }
  });

  it('is authored by each organization that ran an encounter (the clinic first) and transmitted by the clinic', () => {
    let withHospital = 0;
    for (const { r, resources, provenance } of bundles) {
      const orgs = new Map(resources.filter((x): x is Organization => x.resourceType === 'Organization').map((o) => [`urn:uuid:${o.id}`, o]));
      const authors = provenance.agent.filter((a) => a.type?.coding?.[0]?.code === 'author').map((a) => a.who.reference!);
      const transmitters = provenance.agent.filter((a) => a.type?.coding?.[0]?.code === 'transmitter');
      expect(authors[0]).toBe(`urn:uuid:${r.primaryCare.organizationId}`);
      expect(new Set(authors)).toEqual(new Set([r.primaryCare.organizationId, ...r.encounters.map((e) => e.organizationId)].map((id) => `urn:uuid:${id}`)));
      expect(transmitters).toHaveLength(1);
      expect(transmitters[0]!.type!.coding![0]!.system).toBe('http://hl7.org/fhir/us/core/CodeSystem/us-core-provenance-participant-type');
      expect(transmitters[0]!.who.reference).toBe(`urn:uuid:${r.primaryCare.organizationId}`);
      // Every agent is an Organization of the bundle, so provenance-1 needs no onBehalfOf.
      for (const a of provenance.agent) {
        expect(orgs.get(a.who.reference!)?.name, a.who.reference).toBe(a.who.display);
        expect(a.onBehalfOf).toBeUndefined();
      }
      if (authors.length > 1) withHospital++;
    }
    expect(withHospital).toBeGreaterThan(0);
  });

  it('is deterministic: the id derives from the patient, `recorded` is the reference instant', () => {
    const again = provenanceResource(records[0]!, recordToResources(records[0]!, meta), recorded, meta);
    expect(JSON.stringify(again)).toBe(JSON.stringify(bundles[0]!.provenance));
    expect(bundles[0]!.provenance.recorded).toBe('2025-06-01T00:00:00Z');
    expect(new Set(bundles.map((b) => b.provenance.id)).size).toBe(bundles.length);
    expect(bundles[0]!.provenance.meta?.profile).toEqual([PROFILES.provenance]);
  });
});

describe('the IG loader adapts sliced content references', () => {
  const sd = {
    resourceType: 'StructureDefinition',
    snapshot: {
      element: [
        { id: 'X', path: 'X' },
        { id: 'X.a', path: 'X.a', slicing: { rules: 'open' }, min: 1, max: '*' },
        { id: 'X.a.b', path: 'X.a.b', min: 1 },
        { id: 'X.a:s', path: 'X.a', sliceName: 's' },
        { id: 'X.a:s.b', path: 'X.a.b', fixedCode: 'z' },
        { id: 'X.c', path: 'X.c' },
        { id: 'X.c.a', path: 'X.c.a', contentReference: '#X.a', min: 0, max: '*' },
      ],
    },
  };

  it('writes out a reference to a sliced path from the unsliced definition, without its slicing', () => {
    const out = inlineSlicedContentReferences(sd) as typeof sd;
    expect(out.snapshot.element.slice(6)).toEqual([
      { id: 'X.c.a', path: 'X.c.a', min: 0, max: '*', base: undefined, short: undefined, definition: undefined },
      { id: 'X.c.a.b', path: 'X.c.a.b', min: 1 },
    ]);
    expect(sd.snapshot.element).toHaveLength(7);
  });

  it('leaves a profile with nothing to adapt as it is', () => {
    const plain = { snapshot: { element: [{ id: 'X', path: 'X' }, { id: 'X.c', path: 'X.c', contentReference: '#X' }] } };
    expect(inlineSlicedContentReferences(plain)).toBe(plain);
  });
});

describe(`US Core Provenance is checked${NO_US_CORE}`, () => {
  it.skipIf(!HAS_US_CORE)('generated Provenance validate clean; broken ones fail on the rule they break', async () => {
    const profiles = await loadProfiles({ igPaths: [US_CORE] });
    expect(profiles.loadFailures).toEqual([]);
    expect(profiles.profiles.has(PROFILES.provenance)).toBe(true);
    for (const engine of ['fast', 'medplum'] as const) {
      const validator = createValidator(profiles, { engine });
      for (const { provenance } of bundles.slice(0, 10)) expect(validator.validate(provenance), engine).toEqual([]);
      const p = bundles[0]!.provenance;
      const errors = (x: Provenance): string[] => validator.validate(x).filter((i) => i.severity === 'error').map((i) => `${i.path} ${i.message}`);
      expect(errors({ ...p, target: [] }).join('\n'), engine).toMatch(/target/);
      expect(errors({ ...p, recorded: '2025-06-01' }).join('\n'), engine).toMatch(/recorded/);
      expect(errors({ ...p, agent: [] }).join('\n'), engine).toMatch(/agent/);
      // provenance-1 (read through a literal reference: a `urn:uuid:` one names no type for resolve()).
      const byPractitioner = { ...p, agent: [{ ...p.agent[0]!, who: { reference: 'Practitioner/1' } }] };
      expect(errors(byPractitioner).join('\n'), engine).toMatch(/provenance-1/);
      expect(errors({ ...byPractitioner, agent: [{ ...byPractitioner.agent[0]!, onBehalfOf: { reference: 'Organization/1' } }] }), engine).toEqual([]);
      // The entity.agent written out from the unsliced agent is checked too. fixes its type's coding: a wrong system is no transmitter, and the entity.agent written out is checked too.
      const entityAgent = { resourceType: 'Provenance', ...p, entity: [{ role: 'source', what: { reference: 'urn:uuid:x' }, agent: [{}] }] } as Resource;
      expect(errors(entityAgent as Provenance).join('\n'), engine).toMatch(/entity.*agent.*who|who/);
    }
  });
});

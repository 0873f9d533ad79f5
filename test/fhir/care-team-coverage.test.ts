import { describe, expect, it } from 'vitest';
import type { CareTeam, Coverage, Organization, Practitioner, Resource } from '@medplum/fhirtypes';
import { toSeed } from '../../src/core/random.js';
import { MS_PER_YEAR, type IsoDate } from '../../src/core/time.js';
import { MetaFactory } from '../../src/fhir/meta.js';
import { recordToResources } from '../../src/fhir/record-to-fhir.js';
import { createValidator, loadProfiles } from '../../src/fhir/validation/index.js';
import { loadCoverage, payerFor } from '../../src/knowledge/coverage.js';
import { loadSpecialists } from '../../src/knowledge/specialists.js';
import type { PatientRecord } from '../../src/record/types.js';
import { createCohortContext, simulateIndex } from '../../src/timeline/cohort.js';
import { HAS_US_CORE, NO_US_CORE, US_CORE } from './validation/us-core.js';

const ctx = createCohortContext({ seed: toSeed(5), referenceDate: '2025-06-01' as IsoDate, age: undefined, gender: undefined, state: undefined });
const records: PatientRecord[] = [];
for (let i = 0; i < 120; i++) records.push(...simulateIndex(ctx, i));
const meta = new MetaFactory('test');
const bundles = records.map((r) => ({ r, resources: recordToResources(r, meta) }));
const of = <T extends Resource>(rs: Resource[], type: T['resourceType']): T[] => rs.filter((x) => x.resourceType === type) as T[];

describe('payer by age', () => {
  it('is Medicare from 65; below it Medicaid, commercial or none in the data shares', () => {
    expect(payerFor(65, 0)).toBe('medicare');
    expect(payerFor(90, 0.99)).toBe('medicare');
    const band = loadCoverage().bands[1]!;
    expect(payerFor(40, band.medicaid / 2)).toBe('medicaid');
    expect(payerFor(40, band.medicaid + band.uninsured / 2)).toBeUndefined();
    expect(payerFor(40, 0.99)).toBe('commercial');
  });
});

describe('CareTeam and Coverage in every bundle', () => {
  it('one CareTeam: the primary care physician first, then every specialist who saw the patient', () => {
    const specialties = new Set(Object.values(loadSpecialists().specialists).map((s) => s.code));
    let withSpecialist = 0;
    for (const { r, resources } of bundles) {
      const teams = of<CareTeam>(resources, 'CareTeam');
      expect(teams).toHaveLength(1);
      const members = teams[0]!.participant!.map((p) => p.member!.reference!);
      expect(members[0]).toBe(`urn:uuid:${r.primaryCare.practitionerId}`);
      const practitioners = new Map(of<Practitioner>(resources, 'Practitioner').map((p) => [`urn:uuid:${p.id}`, p]));
      for (const m of members) expect(practitioners.has(m), m).toBe(true);
      const seen = new Set(r.encounters.map((e) => e.practitionerId).filter((id) => specialties.has(r.providers.practitioners.find((p) => p.id === id)!.specialty.code)));
      for (const id of seen) expect(members).toContain(`urn:uuid:${id}`);
      if (seen.size > 0) withSpecialist++;
      expect(teams[0]!.status).toBe(r.death === undefined ? 'active' : 'inactive');
    }
    expect(withSpecialist).toBeGreaterThan(0);
  });

  it('dates each member\'s time on the team inside their career (a retired PCP leaves, the successor joins)', () => {
    for (const { resources } of bundles) {
      const team = of<CareTeam>(resources, 'CareTeam')[0]!;
      const practitioners = new Map(of<Practitioner>(resources, 'Practitioner').map((p) => [`urn:uuid:${p.id}`, p]));
      for (const m of team.participant!) {
        const career = practitioners.get(m.member!.reference!)!.qualification![0]!.period!;
        expect(m.period?.start, m.member!.reference).toBeDefined();
        expect(m.period!.start! >= career.start!.slice(0, 10), `${m.period!.start} vs ${career.start}`).toBe(true);
        if (m.period!.end !== undefined) {
          expect(career.end).toBeDefined();
          expect(m.period!.end <= career.end!.slice(0, 10)).toBe(true);
        }
      }
    }
  });

  it('Medicare for everyone 65 and older, a payer Organization in the bundle, some uninsured under 65', () => {
    let uninsured = 0;
    let medicare = 0;
    for (const { r, resources } of bundles) {
      const end = r.death?.time ?? r.encounters.at(-1)!.end;
      const age = (end - r.demographics.birthTime) / MS_PER_YEAR;
      const coverage = of<Coverage>(resources, 'Coverage');
      if (coverage.length === 0) {
        expect(age).toBeLessThan(65);
        uninsured++;
        continue;
      }
      expect(coverage).toHaveLength(1);
      const c = coverage[0]!;
      if (age >= 65) {
        expect(c.type!.coding![0]!.code).toBe(loadCoverage().payers.medicare.type.code);
        medicare++;
      }
      const payer = of<Organization>(resources, 'Organization').find((o) => `urn:uuid:${o.id}` === c.payor[0]!.reference);
      expect(payer?.type?.[0]?.coding?.[0]?.code).toBe('pay');
      expect(c.beneficiary.reference).toBe(`urn:uuid:${r.id}`);
    }
    expect(medicare).toBeGreaterThan(5);
    expect(uninsured).toBeGreaterThan(0);
  });

  it.skipIf(!HAS_US_CORE)(`validate against US Core 6.1.0 CareTeam and Coverage with zero errors${NO_US_CORE}`, async () => {
    const validator = createValidator(await loadProfiles({ igPaths: [US_CORE] }));
    let n = 0;
    for (const { resources } of bundles.slice(0, 40)) {
      for (const x of resources) {
        if (x.resourceType !== 'CareTeam' && x.resourceType !== 'Coverage' && !(x.resourceType === 'Organization' && x.type?.[0]?.coding?.[0]?.code === 'pay')) continue;
        expect(validator.validate(x).filter((i) => i.severity === 'error'), `${x.resourceType}/${x.id}`).toEqual([]);
        n++;
      }
    }
    expect(n).toBeGreaterThan(60);
  });
});

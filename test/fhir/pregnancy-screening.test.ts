/**
 * The resources pregnancy and screening add (pregnancy status, prenatal and delivery encounters,
 * procedures, prenatal and PSA labs, pregnancy conditions) validate against US Core 6.1.0.
 */
import type { Resource } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import { MetaFactory } from '../../src/fhir/meta.js';
import { PROFILES } from '../../src/fhir/profiles.js';
import { recordToResources } from '../../src/fhir/record-to-fhir.js';
import { createValidator, loadProfiles, type Validator } from '../../src/fhir/validation/index.js';
import type { IsoDate } from '../../src/core/time.js';
import type { AdministrativeSex } from '../../src/record/types.js';
import { createCohortContext, simulateIndex } from '../../src/timeline/cohort.js';
import { toSeed } from '../../src/core/random.js';
import { HAS_US_CORE, NO_US_CORE, US_CORE } from './validation/us-core.js';

const INTERESTING = new Set(['Observation', 'Procedure', 'Encounter', 'Condition', 'DiagnosticReport', 'Organization', 'Location', 'Practitioner']);

function resources(gender: AdministrativeSex, min: number, max: number, n: number): Resource[] {
  const ctx = createCohortContext({ seed: toSeed(31), referenceDate: '2025-06-01' as IsoDate, age: { min, max }, gender, state: undefined });
  const meta = new MetaFactory(ctx.runTag);
  const out: Resource[] = [];
  for (let i = 0; i < n; i++) for (const r of simulateIndex(ctx, i)) out.push(...recordToResources(r, meta).filter((x) => INTERESTING.has(x.resourceType)));
  return out;
}

describe(`pregnancy and screening resources against US Core 6.1.0${NO_US_CORE}`, () => {
  let validator: Validator;
  beforeAll(async () => {
    if (HAS_US_CORE) validator = createValidator(await loadProfiles({ igPaths: [US_CORE] }));
  });

  it.skipIf(!HAS_US_CORE)('validate with zero errors, pregnancy status included', () => {
    const all = [...resources('female', 24, 40, 20), ...resources('male', 56, 70, 15), ...resources('female', 50, 70, 15)];
    const profiled = (profile: string): Resource[] => all.filter((r) => r.meta?.profile?.includes(profile) === true);
    const status = profiled(PROFILES.pregnancyStatus);
    expect(status.length).toBeGreaterThan(20);
    const codes = (type: string): Set<string> =>
      new Set(all.filter((r) => r.resourceType === type).flatMap((r) => ((r as { code?: { coding?: { code?: string }[] } }).code?.coding ?? []).map((c) => c.code ?? '')));
    const procedures = codes('Procedure');
    for (const c of ['24623002', '73761001', '44608003']) expect(procedures.has(c), c).toBe(true);
    expect(procedures.has('236973005') || procedures.has('11466000')).toBe(true);
    expect(codes('DiagnosticReport').has('2857-1')).toBe(true);
    expect(all.some((r) => r.resourceType === 'Encounter' && (r as { class?: { code?: string } }).class?.code === 'IMP')).toBe(true);
    // Validate what these modules add (the cohort test validates the rest).
    const mine = new Set(['82810-3', '58410-2', '718-7', '4544-3', '777-3', '1504-0', '2857-1', '72892002', '281050002', '11687002', '19169002', '85116003', '424441002', '424619006', '305408004']);
    const ours = (r: Resource): boolean => {
      if (r.resourceType === 'Procedure') return true;
      const concept = (r as { code?: { coding?: { code?: string }[] }; type?: { coding?: { code?: string }[] }[] });
      const found = [...(concept.code?.coding ?? []), ...(concept.type?.flatMap((t) => t.coding ?? []) ?? [])];
      return found.some((c) => mine.has(c.code ?? ''));
    };
    const errors: string[] = [];
    for (const r of all.filter(ours)) {
      for (const issue of validator.validate(r)) if (issue.severity === 'error') errors.push(`${r.resourceType}/${r.id} ${issue.path} ${issue.message}`);
    }
    expect(errors.slice(0, 10)).toEqual([]);
    // The profile is really checked: a status without its value fails.
    const { valueCodeableConcept: _dropped, ...noValue } = status[0] as Resource & { valueCodeableConcept?: unknown };
    expect(validator.validate(noValue as Resource).some((i) => i.severity === 'error')).toBe(true);
  });
});

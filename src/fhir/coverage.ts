/**
 * The patient's insurance (US Core Coverage) and its payer (US Core Organization): Medicare from 65,
 * below it Medicaid or a commercial plan by the age shares of data/coverage.yaml, none for the
 * uninsured. The draw is a pure function of the patient id, so export stays deterministic.
 */
import type { Coverage, Organization } from '@medplum/fhirtypes';
import { loadCoverage, payerFor, type PayerKind } from '../knowledge/coverage.js';
import { MS_PER_YEAR, instantToDate } from '../core/time.js';
import type { PatientRecord } from '../record/types.js';
import { derivedId, derivedUniform } from './derived-id.js';
import type { MetaFactory } from './meta.js';
import { PROFILES } from './profiles.js';
import { ref } from './references.js';

const PAYER_SYSTEM = 'https://chartwright.dev/fhir/payer';

/** The payer organization (the same id and content in every bundle). */
export function payerResource(kind: PayerKind, meta: MetaFactory): Organization {
  const p = loadCoverage().payers[kind];
  return {
    resourceType: 'Organization',
    id: derivedId('payer', kind),
    meta: meta.forProfile(PROFILES.organization),
    identifier: [{ system: PAYER_SYSTEM, value: kind }],
    active: true,
    type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: 'pay', display: 'Payer' }] }],
    name: p.name,
  };
}

/** The patient's coverage at the end of the record and its payer, or undefined when uninsured. */
export function coverageResources(record: PatientRecord, meta: MetaFactory): { coverage: Coverage; payer: Organization } | undefined {
  const end = record.death?.time ?? record.encounters.at(-1)?.end;
  if (end === undefined) return undefined;
  const age = (end - record.demographics.birthTime) / MS_PER_YEAR;
  const kind = payerFor(age, derivedUniform(record.id, 'coverage'));
  if (kind === undefined) return undefined;
  const data = loadCoverage();
  const p = data.payers[kind];
  const payer = payerResource(kind, meta);
  const start =
    kind === 'medicare'
      ? instantToDate(record.demographics.birthTime + data.medicareFromAge * MS_PER_YEAR)
      : `${new Date(end).getUTCFullYear()}-01-01`;
  const memberId = derivedId(record.id, 'member-id').replace(/-/g, '').slice(0, 11).toUpperCase();
  const child = kind === 'commercial' && age < 19;
  const coverage: Coverage = {
    resourceType: 'Coverage',
    id: derivedId(record.id, 'coverage'),
    meta: meta.forProfile(PROFILES.coverage),
    identifier: [
      { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MB', display: 'Member Number' }] }, system: `${PAYER_SYSTEM}/${kind}/member`, value: memberId },
    ],
    status: 'active',
    type: { coding: [p.type], text: p.type.display },
    subscriberId: memberId,
    beneficiary: ref(record.id),
    relationship: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/subscriber-relationship', code: child ? 'child' : 'self', display: child ? 'Child' : 'Self' }] },
    period: { start: start < instantToDate(record.demographics.birthTime) ? instantToDate(record.demographics.birthTime) : start, ...(record.death === undefined ? {} : { end: instantToDate(record.death?.time) }) },
    payor: [ref(derivedId('payer', kind), p.name)],
    class: [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/coverage-class', code: 'plan' }] }, value: kind, name: p.plan }],
  };
  return { coverage, payer };
}

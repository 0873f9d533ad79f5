import { instantToDate } from '../core/time.js';
import type { Location, Organization, Practitioner } from '@medplum/fhirtypes';
import type { Address, Location as RecordLocation, Organization as RecordOrganization, Practitioner as RecordPractitioner } from '../record/types.js';
import { SYSTEMS } from '../record/types.js';
import type { MetaFactory } from './meta.js';
import { PROFILES } from './profiles.js';
import { ref } from './references.js';

export function fhirAddress(address: Address): NonNullable<Organization['address']>[number] {
  return {
    line: [...address.line],
    city: address.city,
    state: address.state,
    postalCode: address.postalCode,
    country: 'US',
  };
}

export function organizationResource(org: RecordOrganization, meta: MetaFactory): Organization {
  return {
    resourceType: 'Organization',
    id: org.id,
    meta: meta.forProfile(PROFILES.organization),
    identifier: [{ system: SYSTEMS.npi, value: org.npi }],
    active: true,
    type: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/organization-type',
            code: 'prov',
            display: 'Healthcare Provider',
          },
        ],
      },
    ],
    name: org.name,
    telecom: [{ system: 'phone', value: org.phone, use: 'work' }],
    address: [fhirAddress(org.address)],
  };
}

/** v3 RoleCode (ServiceDeliveryLocationRoleType) of each kind of site. */
const LOCATION_TYPES = {
  clinic: { code: 'PC', display: 'primary care clinic' },
  hospital: { code: 'HOSP', display: 'Hospital' },
} as const;

export function locationResource(location: RecordLocation, meta: MetaFactory): Location {
  return {
    resourceType: 'Location',
    id: location.id,
    meta: meta.forProfile(PROFILES.location),
    status: 'active',
    name: location.name,
    type: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode',
            ...LOCATION_TYPES[location.kind],
          },
        ],
      },
    ],
    telecom: [{ system: 'phone', value: location.phone, use: 'work' }],
    address: fhirAddress(location.address),
    managingOrganization: ref(location.organizationId),
  };
}

export function practitionerResource(p: RecordPractitioner, meta: MetaFactory): Practitioner {
  return {
    resourceType: 'Practitioner',
    id: p.id,
    meta: meta.forProfile(PROFILES.practitioner),
    identifier: [{ system: SYSTEMS.npi, value: p.npi }],
    // A physician retired before the reference date is no longer in active practice.
    active: p.career?.end === undefined,
    name: [{ use: 'official', family: p.familyName, given: [...p.givenNames], prefix: ['Dr.'] }],
    gender: p.sex,
    qualification: [
      {
        code: {
          coding: [{ system: SYSTEMS.nucc, code: p.specialty.code, display: p.specialty.display }],
          text: p.specialty.display,
        },
        // The career: first year in practice to retirement (open while still practising).
        ...(p.career === undefined
          ? {}
          : { period: { start: instantToDate(p.career.start), ...(p.career.end === undefined ? {} : { end: instantToDate(p.career.end) }) } }),
      },
    ],
  };
}

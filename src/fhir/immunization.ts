import { InternalError } from '../errors.js';
import type { Immunization } from '@medplum/fhirtypes';
import { loadVaccineProducts, type VaccineProducts } from '../knowledge/vaccine-products.js';
import { murmur3String } from '../core/murmur3.js';
import { instantToDate, instantToDateTime, MS_PER_YEAR, type Instant } from '../core/time.js';
import type { Immunization as RecordImmunization } from '../record/types.js';
import { concept } from './codings.js';
import type { MetaFactory } from './meta.js';
import { PROFILES } from './profiles.js';
import { ref } from './references.js';

const ROUTE = 'http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration';
const SITE = 'http://terminology.hl7.org/CodeSystem/v3-ActSite';
const MVX = 'http://hl7.org/fhir/sid/mvx';
const LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';

/** The calendar quarter of an instant, as a number (year * 4 + quarter). */
function quarterOf(t: Instant): number {
  const d = new Date(t);
  return d.getUTCFullYear() * 4 + Math.floor(d.getUTCMonth() / 3);
}

/** A lot number in the maker's shape, drawn from a hash (so a clinic's doses of one quarter share a lot). */
function lotNumber(pattern: string, key: string): string {
  let h = murmur3String(key);
  let out = '';
  for (const ch of pattern) {
    h = murmur3String(out, h);
    out += ch === 'L' ? LETTERS[h % LETTERS.length] : String(h % 10);
  }
  return out;
}

/**
 * The product given: which maker's vaccine the clinic stocked that year, its lot that quarter
 * (expiring a year after the quarter ends), route, dose volume, and the site for the patient's age.
 */
export function vaccineProduct(
  imm: RecordImmunization,
  locationId: string,
  ageYears: number,
  products: VaccineProducts = loadVaccineProducts(),
): Pick<Immunization, 'manufacturer' | 'lotNumber' | 'expirationDate' | 'route' | 'site' | 'doseQuantity'> | undefined {
  const p = products.products[imm.vaccine.code];
  if (p === undefined) return undefined;
  const year = new Date(imm.time).getUTCFullYear();
  const maker = p.makers[murmur3String(`${locationId}|${imm.vaccine.code}|${year}`) % p.makers.length]!;
  const quarter = quarterOf(imm.time);
  const expires = Date.UTC(Math.floor(quarter / 4) + 1, (quarter % 4) * 3 + 3, 0);
  const site = p.route === 'PO' ? undefined : products.sites[p.route]?.find((s) => ageYears < s.belowAge);
  const side = site === undefined ? undefined : murmur3String(imm.id) % 2 === 0 ? site.left : site.right;
  return {
    manufacturer: { identifier: { system: MVX, value: maker }, display: products.manufacturers[maker]! },
    lotNumber: lotNumber(products.lotPatterns[maker]!, `${locationId}|${imm.vaccine.code}|${maker}|${quarter}`),
    expirationDate: instantToDate(expires),
    route: concept({ system: ROUTE, code: p.route, display: products.routes[p.route]! }),
    ...(side === undefined ? {} : { site: concept({ system: SITE, code: side.code, display: side.display }) }),
    doseQuantity: { value: p.doseMl, unit: 'mL', system: 'http://unitsofmeasure.org', code: 'mL' },
  };
}

/** A US Core Immunization with the product given: maker, lot, route, site and dose. */
export function immunizationResource(
  imm: RecordImmunization,
  patientId: string,
  locationId: string,
  practitionerId: string,
  meta: MetaFactory,
  birthTime?: Instant,
): Immunization {
  const product = vaccineProduct(imm, locationId, birthTime === undefined ? 30 : (imm.time - birthTime) / MS_PER_YEAR);
  if (imm.history !== undefined || imm.encounterId === undefined) throw new InternalError(`immunization ${imm.id} was not given at an encounter: use reportedImmunizationResource`);
  return {
    resourceType: 'Immunization',
    id: imm.id,
    meta: meta.forProfile(PROFILES.immunization),
    status: 'completed',
    vaccineCode: concept(imm.vaccine),
    patient: ref(patientId),
    encounter: ref(imm.encounterId),
    occurrenceDateTime: instantToDateTime(imm.time),
    primarySource: true,
    location: ref(locationId),
    ...product,
    performer: [
      {
        function: {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0443', code: 'AP', display: 'Administering Provider' }],
        },
        actor: ref(practitionerId),
      },
    ],
    ...(imm.doseNumber === undefined ? {} : { protocolApplied: [{ doseNumberPositiveInt: imm.doseNumber }] }),
  };
}

const ORIGIN = 'http://terminology.hl7.org/CodeSystem/immunization-origin';

/**
 * A dose given before the record window, as the chart carries it: reported (`primarySource`
 * false, from a written record), dated when it was given and recorded at the window's first visit.
 * Who gave it, where, and the lot are not known to this chart, so they are left out.
 */
export function reportedImmunizationResource(imm: RecordImmunization, patientId: string, meta: MetaFactory): Immunization {
  if (imm.history === undefined) throw new InternalError(`immunization ${imm.id} is not carried history`);
  return {
    resourceType: 'Immunization',
    id: imm.id,
    meta: meta.forProfile(PROFILES.immunization),
    status: 'completed',
    vaccineCode: concept(imm.vaccine),
    patient: ref(patientId),
    occurrenceDateTime: instantToDate(imm.time),
    recorded: instantToDateTime(imm.history.recorded),
    primarySource: false,
    reportOrigin: { coding: [{ system: ORIGIN, code: 'record', display: 'Written Record' }], text: 'Written record' },
    ...(imm.doseNumber === undefined ? {} : { protocolApplied: [{ doseNumberPositiveInt: imm.doseNumber }] }),
  };
}

/**
 * Who the person is: name, address, phone, language, marital status and record numbers, drawn
 * from one identity stream so the clinical modules never shift them.
 */
import { loadPlacesByState } from '../knowledge/places.js';
import { regionOfZip } from '../knowledge/area-codes.js';
import { instantToDate, type Instant } from '../core/time.js';
import type { AdministrativeSex, Demographics } from '../record/types.js';
import type { Rng } from '../core/random.js';
import { sampleLanguage, sampleMaritalStatus, sampleRaceEthnicity, sampleState } from './demography.js';
import { fictionalPhone, withFaker } from './fake.js';

/** Age from which a person has an adult's prefix and an email address of their own. */
export const ADULT_AGE = 18;

/** What the identity depends on: the life already drawn, and the cohort's state filter. */
export interface IdentityInputs {
  readonly sex: AdministrativeSex;
  readonly birthTime: Instant;
  /** Age at the end of the record (reference date or death). */
  readonly ageAtEnd: number;
  /** Only this state's residents (a two-letter code), or any state. */
  readonly state: string | undefined;
}

/** Draws the person's demographics; `demographics.address.state` is their home state. */
export function sampleDemographics(idRng: Rng, { sex, birthTime, ageAtEnd, state: only }: IdentityInputs): Demographics {
  const state = sampleState(idRng, only);
  const who = sampleRaceEthnicity(idRng);
  const language = sampleLanguage(idRng, who);
  const maritalStatus = sampleMaritalStatus(idRng, Math.floor(ageAtEnd));
  const places = loadPlacesByState().get(state.code) ?? [];
  const place = places.length > 0 ? idRng.pick(places) : { zip: '00000', city: state.name, state: state.code };
  // The area code of the home ZIP's region (one of its overlays), not one per state.
  const region = regionOfZip(place.zip);
  const areaCode = region === undefined ? state.areaCode : idRng.pick(region.areaCodes);
  const locale = who.hispanic && idRng.chance(0.7) ? 'es_MX' : 'en_US';
  const names = withFaker(
    idRng,
    (faker) => ({
      given: faker.person.firstName(sex),
      middle: idRng.chance(0.6) ? faker.person.firstName(sex) : undefined,
      family: faker.person.lastName(),
    }),
    locale,
  );
  const street = withFaker(idRng, (faker) => faker.location.streetAddress(idRng.chance(0.2)));
  const givenNames = names.middle === undefined ? [names.given] : [names.given, names.middle];
  const adultAtEnd = ageAtEnd >= ADULT_AGE;
  const prefix = !adultAtEnd ? undefined : sex === 'male' ? 'Mr.' : maritalStatus?.code === 'M' ? 'Mrs.' : 'Ms.';
  const emailName = `${names.given}.${names.family}`.normalize('NFD').replace(/[^A-Za-z.]/g, '').toLowerCase();
  return {
    givenNames,
    familyName: names.family,
    prefix,
    sex,
    birthTime,
    birthDate: instantToDate(birthTime),
    race: who.race,
    ethnicity: who.ethnicity,
    address: { line: [street], city: place.city, state: state.code, postalCode: place.zip },
    phone: fictionalPhone(idRng, areaCode),
    email: adultAtEnd ? `${emailName}${idRng.int(1, 99)}@example.com` : undefined,
    language,
    maritalStatus,
    mrn: `MRN${String(idRng.int(0, 99_999_999)).padStart(8, '0')}`,
    ssn: `999-${String(idRng.int(10, 99))}-${String(idRng.int(1000, 9999))}`,
  };
}

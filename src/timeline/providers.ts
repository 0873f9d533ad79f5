/**
 * The shared provider directory: per state, clinics and hospitals with their locations and
 * practitioners. Drawn from the cohort's key (not any patient's), so every worker and shard builds
 * the identical directory and every bundle carries identical Organization, Location and
 * Practitioner resources.
 */
import { loadStates, type State } from '../knowledge/population.js';
import { loadPlacesByState } from '../knowledge/places.js';
import { loadSpecialists } from '../knowledge/specialists.js';
import type { Coding, Location, Organization, Practitioner } from '../record/types.js';
import { SYSTEMS } from '../record/types.js';
import { fictionalPhone, syntheticNpi, withFaker } from './fake.js';
import { uuidFromKey } from './ids.js';
import { Rng, childKey, type StreamKey } from '../core/random.js';

/** Generalist roles; hospitals also staff the specialists of specialists.yaml, whose role is their key. */
export type Role = 'pediatrics' | 'family' | 'internal' | 'emergency' | 'hospitalist';

const SPECIALTIES: Readonly<Record<Role, Coding>> = {
  pediatrics: { system: SYSTEMS.nucc, code: '208000000X', display: 'Pediatrics Physician' },
  family: { system: SYSTEMS.nucc, code: '207Q00000X', display: 'Family Medicine Physician' },
  internal: { system: SYSTEMS.nucc, code: '207R00000X', display: 'Internal Medicine Physician' },
  emergency: { system: SYSTEMS.nucc, code: '207P00000X', display: 'Emergency Medicine Physician' },
  hospitalist: { system: SYSTEMS.nucc, code: '208M00000X', display: 'Hospitalist Physician' },
};

/** Staff of each kind of site, by role. */
const STAFF: Readonly<Record<Organization['kind'], readonly Role[]>> = {
  clinic: ['pediatrics', 'pediatrics', 'family', 'family', 'family', 'internal', 'internal'],
  hospital: ['emergency', 'emergency', 'hospitalist', 'hospitalist', 'internal'],
};

/** A specialty key of specialists.yaml (`nephrology`, `medical-oncology`, ...). */
export type SpecialistRole = `specialist:${string}`;

/** The role a hospital's specialist of `specialty` carries in the directory. */
export function specialistRole(specialty: string): SpecialistRole {
  return `specialist:${specialty}`;
}

export interface Site {
  readonly organization: Organization;
  readonly location: Location;
  readonly staff: readonly (Practitioner & { readonly role: Role | SpecialistRole })[];
}

export interface StateDirectory {
  readonly clinics: readonly Site[];
  readonly hospitals: readonly Site[];
}

const CLINIC_SUFFIXES = ['Family Health Center', 'Primary Care', 'Family Medicine', 'Community Health Center', 'Medical Group', 'Health Partners'];
const HOSPITAL_SUFFIXES = ['General Hospital', 'Medical Center', 'Regional Medical Center', 'Community Hospital', 'Memorial Hospital'];

function makeSite(key: StreamKey, state: State, kind: Organization['kind']): Site {
  const rng = new Rng(key);
  const places = loadPlacesByState().get(state.code) ?? [];
  const place = places.length > 0 ? rng.pick(places) : { zip: '00000', city: state.name, state: state.code };
  return withFaker(rng, (faker) => {
    const orgId = uuidFromKey(childKey(key, 'organization'));
    const street = faker.location.streetAddress();
    const namePart = rng.chance(0.5) ? place.city : faker.person.lastName();
    const name = `${namePart} ${rng.pick(kind === 'clinic' ? CLINIC_SUFFIXES : HOSPITAL_SUFFIXES)}`;
    const address = { line: [street], city: place.city, state: state.code, postalCode: place.zip };
    const phone = fictionalPhone(rng, state.areaCode);
    const organization: Organization = { id: orgId, name, npi: syntheticNpi(rng), kind, address, phone };
    const location: Location = {
      id: uuidFromKey(childKey(key, 'location')),
      name: kind === 'clinic' ? name : `${name} Main Campus`,
      kind,
      organizationId: orgId,
      address,
      phone,
    };
    // Specialists come after the generalists, so adding one leaves every generalist as before.
    const specialists = kind === 'hospital' ? Object.entries(loadSpecialists().specialists) : [];
    const roles: { role: Role | SpecialistRole; specialty: Coding }[] = [
      ...STAFF[kind].map((role) => ({ role, specialty: SPECIALTIES[role] })),
      ...specialists.map(([name, c]) => ({ role: specialistRole(name), specialty: { system: SYSTEMS.nucc, ...c } })),
    ];
    const staff = roles.map(({ role, specialty }, k) => {
      const sex = rng.chance(0.5) ? ('female' as const) : ('male' as const);
      return {
        id: uuidFromKey(childKey(childKey(key, 'practitioner'), k)),
        npi: syntheticNpi(rng),
        givenNames: [faker.person.firstName(sex)],
        familyName: faker.person.lastName(),
        sex,
        specialty,
        organizationId: orgId,
        role,
      };
    });
    return { organization, location, staff };
  });
}

/** Builds (and caches per thread) the directory of each state for a cohort. */
export class ProviderDirectory {
  private readonly key: StreamKey;
  private readonly byState = new Map<string, StateDirectory>();

  /** @param cohortKey the cohort's root key; the directory is a pure function of it. */
  constructor(cohortKey: StreamKey) {
    this.key = childKey(cohortKey, 'providers');
  }

  forState(code: string): StateDirectory {
    let dir = this.byState.get(code);
    if (dir === undefined) {
      const state = loadStates().find((s) => s.code === code);
      if (state === undefined) throw new RangeError(`unknown state ${code}`);
      const stateKey = childKey(this.key, code);
      const millions = state.population / 1_000_000;
      const clinicCount = Math.max(2, Math.round(millions * 1.2));
      const hospitalCount = Math.max(1, Math.round(millions * 0.4));
      const clinics = Array.from({ length: clinicCount }, (_, n) => makeSite(childKey(childKey(stateKey, 'clinic'), n), state, 'clinic'));
      const hospitals = Array.from({ length: hospitalCount }, (_, n) =>
        makeSite(childKey(childKey(stateKey, 'hospital'), n), state, 'hospital'),
      );
      dir = { clinics, hospitals };
      this.byState.set(code, dir);
    }
    return dir;
  }
}

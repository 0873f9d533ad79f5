/**
 * The shared provider directory: per state, clinics and hospitals with their locations and
 * practitioners. Drawn from the cohort's key (not any patient's), so every worker and shard builds
 * the identical directory and every bundle carries identical Organization, Location and
 * Practitioner resources.
 */
import { loadStates, type State } from '../knowledge/population.js';
import { CLINIC_SUFFIXES, HOSPITAL_SUFFIXES } from '../knowledge/facility-names.js';
import { loadPlacesByState, type Place } from '../knowledge/places.js';
import { distanceKm, loadRegions, placesByRegion, regionOfZip, zipLocation, type Region } from '../knowledge/area-codes.js';
import { loadSpecialists } from '../knowledge/specialists.js';
import { loadCareers } from '../knowledge/careers.js';
import { eraChoice } from '../knowledge/availability.js';
import { MS_PER_DAY, MS_PER_YEAR, type Instant } from '../core/time.js';
import type { Coding, Location, Organization, Practitioner } from '../record/types.js';
import { SYSTEMS } from '../record/types.js';
import { fictionalPhone, syntheticNpi, withFaker } from './fake.js';
import { uuidFromKey } from './ids.js';
import { Rng, childKey, type StreamKey } from '../core/random.js';

/** Generalist roles; hospitals also staff the specialists of specialists.yaml, whose role is their key. */
export type Role = 'pediatrics' | 'family' | 'internal' | 'emergency' | 'hospitalist';

/** A staff role's specialty, as specialists.yaml codes it. */
function specialtyOf(role: Role): Coding {
  return { system: SYSTEMS.nucc, ...loadSpecialists().staff[role] };
}

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

/**
 * A post on a site's staff (the clinic's second pediatrician, the hospital's nephrologist). The
 * timeline books patients with a post; which physician holds it at a date is resolved when the
 * record is put together ({@link ProviderDirectory.holderAt}), so every item falls inside its
 * author's career and a retiring doctor's patients pass to the successor.
 */
export type Post = Practitioner & { readonly role: Role | SpecialistRole };

export interface Site {
  readonly organization: Organization;
  readonly location: Location;
  readonly staff: readonly Post[];
}

export interface StateDirectory {
  readonly clinics: readonly Site[];
  readonly hospitals: readonly Site[];
  /** The sites of each region (area-codes.yaml city cluster), by region key; every region has both. */
  readonly regions: ReadonlyMap<string, { readonly clinics: readonly Site[]; readonly hospitals: readonly Site[] }>;
}

/** How many of the nearest sites of their region a patient chooses among. */
const NEAREST_CLINICS = 3;
const NEAREST_HOSPITALS = 2;

/**
 * The sites a resident of `zip` uses: the nearest clinics and hospitals of their own region (the
 * city cluster of their ZIP), not any in the state.
 */
export function localSites(directory: StateDirectory, zip: string): Pick<StateDirectory, 'clinics' | 'hospitals'> {
  const region = regionOfZip(zip);
  const home = zipLocation(zip);
  const sites = region === undefined ? undefined : directory.regions.get(region.key);
  if (sites === undefined || home === undefined) return directory;
  const nearest = (list: readonly Site[], n: number): Site[] =>
    list
      .map((site, i) => ({ site, i, km: distanceKm(home, zipLocation(site.organization.address.postalCode) ?? home) }))
      .sort((a, b) => a.km - b.km || a.i - b.i)
      .slice(0, n)
      .map((x) => x.site);
  return { clinics: nearest(sites.clinics, NEAREST_CLINICS), hospitals: nearest(sites.hospitals, NEAREST_HOSPITALS) };
}

/** A site with the successions of its posts (directory-internal). */
interface StaffedSite extends Site {
  readonly holders: ReadonlyMap<string, readonly Practitioner[]>;
}


function makeSite(key: StreamKey, state: State, region: Region | undefined, places: readonly Place[], kind: Organization['kind'], referenceTime: Instant): StaffedSite {
  const rng = new Rng(key);
  const place = places.length > 0 ? rng.pick(places) : { zip: '00000', city: state.name, state: state.code };
  return withFaker(rng, (faker) => {
    const orgId = uuidFromKey(childKey(key, 'organization'));
    const street = faker.location.streetAddress();
    const namePart = rng.chance(0.5) ? place.city : faker.person.lastName();
    const name = `${namePart} ${rng.pick(kind === 'clinic' ? CLINIC_SUFFIXES : HOSPITAL_SUFFIXES)}`;
    const address = { line: [street], city: place.city, state: state.code, postalCode: place.zip };
    const phone = fictionalPhone(rng, region === undefined ? state.areaCode : rng.pick(region.areaCodes));
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
      ...STAFF[kind].map((role) => ({ role, specialty: specialtyOf(role) })),
      ...specialists.map(([name, c]) => ({ role: specialistRole(name), specialty: { system: SYSTEMS.nucc, ...c } })),
    ];
    // A post has no person of its own: it never reaches a record (every reference to it is
    // resolved to its holder at the item's date).
    const staff = roles.map(({ role, specialty }, k): Post => ({
      id: uuidFromKey(childKey(childKey(key, 'practitioner'), k)),
      npi: '',
      givenNames: [],
      familyName: '',
      sex: 'female',
      specialty,
      organizationId: orgId,
      role,
    }));
    const holders = new Map(staff.map((post, k) => [post.id, succession(childKey(childKey(key, 'holders'), k), post, referenceTime)]));
    return { organization, location, staff, holders };
  });
}

/**
 * The physicians who hold a post one after another across the directory's horizon, each for one
 * career (careers.yaml); a successor joins shortly before the predecessor retires, so the post is
 * never empty. A physician trains in the specialty of their day: one who starts before the post's
 * specialty was recognized (emergency medicine 1979, hospitalists 1996) practises its forerunner.
 */
function succession(key: StreamKey, post: Post, referenceTime: Instant): Practitioner[] {
  const c = loadCareers();
  const rng = new Rng(key);
  const from = Date.parse(`${c.horizon.from}T00:00:00Z`);
  const until = Date.parse(`${c.horizon.until}T00:00:00Z`);
  const out: Practitioner[] = [];
  // The first holder is already part-way through their career at the horizon's start.
  let start = from - rng.uniform(0, c.retireAge.min - c.startAge.max) * MS_PER_YEAR;
  for (let n = 0; start < until; n++) {
    const years = rng.uniform(c.retireAge.min, c.retireAge.max) - rng.uniform(c.startAge.min, c.startAge.max);
    const end = Math.round(start + years * MS_PER_YEAR);
    const sex = rng.chance(0.5) ? ('female' as const) : ('male' as const);
    const specialty = eraChoice(post.specialty, start) ?? post.specialty;
    out.push(
      withFaker(rng, (faker) => ({
        id: uuidFromKey(childKey(key, n)),
        npi: syntheticNpi(rng),
        givenNames: [faker.person.firstName(sex)],
        familyName: faker.person.lastName(),
        sex,
        specialty,
        organizationId: post.organizationId,
        // Whole days: FHIR carries the career as dates.
        career: { start: Math.floor(start / MS_PER_DAY) * MS_PER_DAY, end: end <= referenceTime ? Math.floor(end / MS_PER_DAY) * MS_PER_DAY : undefined },
      })),
    );
    start = end - rng.uniform(c.handoverMonths.min, c.handoverMonths.max) * (MS_PER_YEAR / 12);
  }
  return out;
}

/** Builds (and caches per thread) the directory of each state for a cohort. */
export class ProviderDirectory {
  private readonly key: StreamKey;
  private readonly referenceTime: Instant;
  private readonly byState = new Map<string, StateDirectory>();
  private readonly holdersOfPost = new Map<string, readonly Practitioner[]>();

  /**
   * @param cohortKey the cohort's root key; the directory is a pure function of it and of
   * @param referenceTime the reference date, before which a retired physician's career has ended.
   */
  constructor(cohortKey: StreamKey, referenceTime: Instant) {
    this.key = childKey(cohortKey, 'providers');
    this.referenceTime = referenceTime;
  }

  forState(code: string): StateDirectory {
    let dir = this.byState.get(code);
    if (dir === undefined) {
      const state = loadStates().find((s) => s.code === code);
      if (state === undefined) throw new RangeError(`unknown state ${code}`);
      const stateKey = childKey(this.key, code);
      const millions = state.population / 1_000_000;
      // About three primary care sites per million residents in the directory (each stands for a practice the cohort's patients use).
      const clinicCount = Math.max(2, Math.round(millions * 3));
      const hospitalCount = Math.max(1, Math.round(millions * 0.4));
      // Sites are spread over the state's regions by their share of its ZIPs, at least one clinic
      // and one hospital in each, so every resident has care in their own city cluster.
      const byRegion = placesByRegion(code);
      const total = [...byRegion.values()].reduce((n, l) => n + l.length, 0);
      const regionList = loadRegions().get(code) ?? [];
      const clinics: StaffedSite[] = [];
      const hospitals: StaffedSite[] = [];
      const regions = new Map<string, { clinics: StaffedSite[]; hospitals: StaffedSite[] }>();
      for (const region of regionList) {
        const places = byRegion.get(region.key) ?? [];
        const share = total === 0 ? 0 : places.length / total;
        const regionKey = childKey(stateKey, region.key);
        const make = (kind: Organization['kind'], n: number): StaffedSite =>
          makeSite(childKey(childKey(regionKey, kind), n), state, region, places, kind, this.referenceTime);
        const here = {
          clinics: Array.from({ length: Math.max(1, Math.round(clinicCount * share)) }, (_, n) => make('clinic', n)),
          hospitals: Array.from({ length: Math.max(1, Math.round(hospitalCount * share)) }, (_, n) => make('hospital', n)),
        };
        regions.set(region.key, here);
        clinics.push(...here.clinics);
        hospitals.push(...here.hospitals);
      }
      if (regionList.length === 0) {
        const places = loadPlacesByState().get(code) ?? [];
        clinics.push(...Array.from({ length: clinicCount }, (_, n) => makeSite(childKey(childKey(stateKey, 'clinic'), n), state, undefined, places, 'clinic', this.referenceTime)));
        hospitals.push(...Array.from({ length: hospitalCount }, (_, n) => makeSite(childKey(childKey(stateKey, 'hospital'), n), state, undefined, places, 'hospital', this.referenceTime)));
      }
      for (const s of [...clinics, ...hospitals]) for (const [post, holders] of s.holders) this.holdersOfPost.set(post, holders);
      dir = { clinics, hospitals, regions };
      this.byState.set(code, dir);
    }
    return dir;
  }

  /**
   * The physician holding post `id` at `time` (the newer one while two overlap at a handover), or
   * undefined when `id` is not a post of a state already built.
   */
  holderAt(id: string, time: Instant): Practitioner | undefined {
    const holders = this.holdersOfPost.get(id);
    if (holders === undefined) return undefined;
    for (let n = holders.length - 1; n >= 0; n--) if (holders[n]!.career!.start <= time) return holders[n];
    return holders[0];
  }
}

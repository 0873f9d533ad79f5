/**
 * The patient's clinic: which doctor sees them at each age, and what each booked visit charts
 * (the encounter, vitals, blood pressure, smoking status, doses given, and the chronic course's
 * diagnoses, labs and prescriptions). Hospital stays are charted as the visits reach them, so a
 * visit falling inside a stay does not happen.
 */
import { loadSmoking, loadWellness } from '../knowledge/lifecycle.js';
import { channelShare, loadCareChannels, type CareChannel } from '../knowledge/care-channels.js';
import { localClock, MS_PER_DAY, MS_PER_MINUTE, MS_PER_YEAR, type Instant } from '../core/time.js';
import { loadHospitalCare } from '../knowledge/hospital-care.js';
import type { BloodPressure, Encounter, EncounterId, Immunization, Practitioner, SmokingObservation, VitalKind, VitalSign } from '../record/types.js';
import { SYSTEMS } from '../record/types.js';
import type { Rng } from '../core/random.js';
import { measure, type Body, type VitalsReading } from './body.js';
import type { ClinicalCourse } from './clinical-course.js';
import { concatFragments, type RecordFragment, type RecordItems } from './fragment.js';
import type { HospitalStays } from './hospital-stays.js';
import { ADULT_AGE } from './identity.js';
import type { IdAllocator } from './ids.js';
import type { ProviderSetBuilder } from './provider-set.js';
import type { Site, StateDirectory } from './providers.js';
import { ambulatoryEncounter } from './site-encounter.js';
import { clinicSlot } from './visits.js';
import type { Slot } from './slots.js';
import { smokingStatusAt, type SmokingHistory } from './smoking.js';

/** The patient's clinic and the doctor who sees them at an age. */
export interface PrimaryCare {
  readonly clinic: Site;
  /** A pediatrician for childhood, an adult physician later. */
  practitionerAt(age: number): Practitioner;
}

/** Picks one of the clinics near home and its two doctors (posts) for the patient. */
export function assignPrimaryCare(careRng: Rng, directory: Pick<StateDirectory, 'clinics'>): PrimaryCare {
  const clinic = careRng.pick(directory.clinics);
  const pediatrician = careRng.pick(clinic.staff.filter((p) => p.role === 'pediatrics'));
  const adultDoctor = careRng.pick(clinic.staff.filter((p) => p.role !== 'pediatrics'));
  return { clinic, practitionerAt: (age) => (age < ADULT_AGE ? pediatrician : adultDoctor) };
}

/** What the visits need from the rest of the life. */
export interface ClinicVisitOptions {
  readonly care: PrimaryCare;
  readonly body: Body;
  readonly smoking: SmokingHistory;
  readonly clinical: ClinicalCourse;
  readonly stays: HospitalStays;
  readonly providers: ProviderSetBuilder;
  readonly ids: IdAllocator;
  readonly vitalsRng: Rng;
  /** Decides which follow-ups are telephone or video visits (care-channels.yaml). */
  readonly channelRng: Rng;
  /** Rebooks a visit that fell during an admission. */
  readonly rebookRng: Rng;
  /** The clinic's time zone. */
  readonly zone: string;
  /** The record's end: a visit rebooked past it is not charted. */
  readonly end: Instant;
  /**
   * Hospital stays charted after the visits but known from their plans ([arrival, latest
   * discharge]: acute-illness admissions, deliveries): a visit falling in one is rebooked as for a
   * stay of {@link stays}.
   */
  readonly admissions?: readonly (readonly [Instant, Instant])[];
}

/** The visits charted, with the hospital stays charted between them. */
export interface ClinicVisits {
  /** Items in charting order (a stay before the visit it precedes; encounters not yet sorted). */
  readonly items: RecordItems;
  /** The checkup encounter starting at each instant: screenings happen at the checkup planned for them. */
  readonly checkupAt: ReadonlyMap<Instant, Encounter>;
}

/** Charts the booked visits in time order, each preceded by the hospital stays arriving before it. */
export function chartClinicVisits(slots: readonly Slot[], o: ClinicVisitOptions): ClinicVisits {
  const parts: RecordFragment[] = [];
  const checkupAt = new Map<Instant, Encounter>();
  const queue = [...slots];
  const [minDays, maxDays] = loadHospitalCare().postDischargeVisitDays;
  for (let i = 0; i < queue.length; i++) {
    const slot = queue[i]!;
    parts.push(o.stays.until(slot.start));
    const discharge = o.stays.dischargeOf(slot.start, slot.end) ?? o.admissions?.find(([a, b]) => slot.start <= b && slot.end >= a)?.[1];
    if (discharge !== undefined) {
      // In hospital that day: the clinic rebooks it after discharge (its shots with it), unless
      // the patient is seen on that day anyway, or the record ends first.
      const day = discharge + o.rebookRng.int(minDays, maxDays) * MS_PER_DAY;
      const moved = { ...slot, ...clinicSlot(o.rebookRng, day, o.zone) };
      const later = queue.slice(i + 1);
      const localDay = (t: Instant): number => localClock(o.zone, t).dayNumber;
      const sameDay = later.find((s) => localDay(s.start) === localDay(moved.start));
      if (sameDay !== undefined) queue[queue.indexOf(sameDay)] = { ...sameDay, doses: [...sameDay.doses, ...slot.doses] };
      else if (moved.end <= o.end) {
        const at = later.findIndex((s) => s.start > moved.start);
        queue.splice(at === -1 ? queue.length : i + 1 + at, 0, { ...moved, age: slot.age + (moved.start - slot.start) / MS_PER_YEAR });
      }
      continue;
    }
    const visit = chartVisit(slot, o);
    parts.push(visit.items);
    if (slot.kind === 'adultCheckup') checkupAt.set(slot.start, visit.encounter);
  }
  return { items: concatFragments(parts), checkupAt };
}

function chartVisit(slot: Slot, o: ClinicVisitOptions): { encounter: Encounter; items: RecordFragment } {
  const { ids, care } = o;
  const practitioner = care.practitionerAt(slot.age);
  o.providers.add(care.clinic, practitioner);
  // A follow-up that gives a shot is held in the office.
  const channel = slot.kind === 'followUp' && slot.doses.length === 0 ? remoteChannel(o.channelRng, slot.start) : undefined;
  const office = ambulatoryEncounter(ids.next(), loadWellness().encounterTypes[slot.kind], slot, care.clinic, practitioner);
  // A telephone or video follow-up: virtual class, its channel's type, no measurements taken.
  const encounter: Encounter = channel === undefined ? office : { ...office, class: channel.class, type: channel.type };
  const vitals: VitalSign[] = [];
  const bloodPressures: BloodPressure[] = [];
  const smoking: SmokingObservation[] = [];
  const t = slot.start + 5 * MS_PER_MINUTE;
  if (channel !== undefined) {
    if (slot.age >= loadSmoking().askedFromAge) {
      smoking.push({ id: ids.next(), encounterId: encounter.id, time: t, status: smokingStatusAt(o.smoking, slot.age) });
    }
    o.clinical.visit(encounter, slot.age, undefined);
  } else if (slot.kind !== 'immunization') {
    const reading = measure(o.body, slot.age, o.vitalsRng, o.clinical.bpShift());
    const charted = chartReading(reading, encounter.id, t, ids);
    vitals.push(...charted.vitals);
    bloodPressures.push(...charted.bloodPressures);
    if (slot.age >= loadSmoking().askedFromAge) {
      smoking.push({ id: ids.next(), encounterId: encounter.id, time: t, status: smokingStatusAt(o.smoking, slot.age) });
    }
    o.clinical.visit(encounter, slot.age, reading);
  }
  const immunizations: Immunization[] = slot.doses.map((dose) => ({
    id: ids.next(),
    encounterId: encounter.id,
    time: slot.start + 15 * MS_PER_MINUTE,
    vaccine: { system: SYSTEMS.cvx, code: dose.vaccine.cvx, display: dose.vaccine.display },
    doseNumber: dose.doseNumber,
  }));
  return { encounter, items: { encounters: [encounter], vitals, bloodPressures, smoking, immunizations } };
}

/**
 * One visit's measured vital signs as the chart holds them (height, weight, BMI and growth
 * percentiles, pulse, respiration, temperature, SpO2, blood pressure), taken at `time`: the clinic's
 * and a specialist's office alike (specialist-visits.ts), so there is one vitals model.
 */
export function chartReading(reading: VitalsReading, encounterId: EncounterId, time: Instant, ids: IdAllocator): { vitals: VitalSign[]; bloodPressures: BloodPressure[] } {
  const vitals: VitalSign[] = [];
  const add = (kind: VitalKind, value: number | undefined): void => {
    if (value !== undefined) vitals.push({ id: ids.next(), kind, encounterId, time, value });
  };
  add('bodyHeight', reading.heightCm);
  add('bodyWeight', reading.weightKg);
  add('bmi', reading.bmi);
  add('bmiPercentile', reading.bmiPercentile);
  add('weightForLengthPercentile', reading.weightForLengthPercentile);
  add('headCircumference', reading.headCircumferenceCm);
  add('headCircumferencePercentile', reading.headCircumferencePercentile);
  add('heartRate', reading.heartRate);
  add('respiratoryRate', reading.respiratoryRate);
  add('bodyTemperature', reading.temperatureC);
  add('oxygenSaturation', reading.spo2);
  const bloodPressures: BloodPressure[] =
    reading.systolic !== undefined && reading.diastolic !== undefined ? [{ id: ids.next(), encounterId, time, systolic: reading.systolic, diastolic: reading.diastolic }] : [];
  return { vitals, bloodPressures };
}

/** The remote channel a follow-up on `time` is held by, drawn by the era's shares, or undefined for an office visit. */
function remoteChannel(rng: Rng, time: Instant): CareChannel | undefined {
  let u = rng.next();
  for (const c of loadCareChannels()) {
    const share = channelShare(c, time);
    if (u < share) return c;
    u -= share;
  }
  return undefined;
}

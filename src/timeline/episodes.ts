/**
 * Acute episodes: infections and injuries that bring a person to care for days or weeks. Episodes
 * are drawn as a Poisson process per year of life from each acute module's rate by age (thinned
 * by season, raised by chronic risk factors from their latent onset on), then charted: each seen
 * episode gets its own encounter (clinic sick visit, urgent care, emergency visit, or emergency
 * visit then admission), an encounter diagnosis that resolves, vitals fitting the illness, the
 * tests and procedures done, and short medication courses that end.
 */
import { eraChoice } from '../knowledge/availability.js';
import type { AcuteModule, EpisodeSetting } from '../knowledge/acute.js';
import { loadPhysiology } from '../knowledge/lifecycle.js';
import { interpolate } from '../knowledge/schemas.js';
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, MS_PER_YEAR, type Instant } from '../core/time.js';
import type { AdministrativeSex, BloodPressure, Coding, ConditionEntry, Encounter, LabReport, MedicationOrder, Practitioner, ProcedureEntry, VitalKind, VitalSign, ConditionId, EncounterId } from '../record/types.js';
import type { Body } from './body.js';
import type { IdAllocator } from './ids.js';
import type { Site } from './providers.js';
import type { Rng } from '../core/random.js';
import type { StepFragment } from './fragment.js';
import { conflictingAllergen, loadDrugAllergies, type KnownAllergy } from '../knowledge/drug-allergies.js';
import { clinicSlot } from './visits.js';
import { bloodPressureReading, heightAt, weightAt } from './body.js';
import { loadDosing, weightDose } from '../knowledge/dosing.js';
import { drawLabValue, labResult } from './lab-draw.js';

/** An episode as drawn, before it is charted. */
export interface PlannedEpisode {
  readonly module: AcuteModule;
  /** Symptom onset. */
  readonly onset: Instant;
  /** Age in years at onset. */
  readonly age: number;
  readonly setting: EpisodeSetting;
  /** When the patient is seen (a day; the encounter is placed on it). */
  readonly seenDay: Instant;
  /** When it resolves. */
  readonly resolves: Instant;
  /** Length of an inpatient stay, in days (admission setting only). */
  readonly stayDays: number;
}

export interface EpisodeInputs {
  readonly birthTime: Instant;
  /** End of the record (reference date or death): no episode starts after it. */
  readonly end: Instant;
  readonly sex: AdministrativeSex;
  /** Latent onset age of a chronic module, if it has one in this life. */
  onsetAgeOf(key: string): number | undefined;
}

function poisson(rng: Rng, mean: number): number {
  if (mean <= 0) return 0;
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}

function pickSetting(rng: Rng, m: AcuteModule, age: number): EpisodeSetting {
  let total = 0;
  for (const s of m.settings) if (age >= s.minAge && age < s.maxAge) total += s.weight;
  const any = total === 0;
  if (any) for (const s of m.settings) total += s.weight;
  let target = rng.next() * total;
  let last = m.settings[0]!;
  for (const s of m.settings) {
    if (!any && !(age >= s.minAge && age < s.maxAge)) continue;
    last = s;
    target -= s.weight;
    if (target < 0) return s.setting;
  }
  return last.setting;
}

/** Episodes of one module over a life, in time order, never overlapping each other. */
function planModule(m: AcuteModule, inputs: EpisodeInputs, rng: Rng): PlannedEpisode[] {
  const out: PlannedEpisode[] = [];
  const { birthTime, end } = inputs;
  const sexFactor = m.sexMultiplier[inputs.sex];
  if (sexFactor === 0) return out;
  const season = m.seasonByMonth;
  const seasonMax = season === undefined ? 1 : Math.max(...season);
  const seasonMean = season === undefined ? 1 : season.reduce((a, b) => a + b, 0) / 12;
  // Draw at the peak rate, keep each draw with weight(month)/peak: the mean rate is unchanged.
  const boost = seasonMax / seasonMean;
  const from = m.availableFrom === undefined ? -Infinity : Date.parse(`${m.availableFrom}T00:00:00Z`);
  const risks = m.riskFactors.map((r) => ({ onset: inputs.onsetAgeOf(r.condition), multiplier: r.multiplier }));
  const lastYear = Math.floor((end - birthTime) / MS_PER_YEAR);
  let busyUntil = -Infinity;
  for (let year = 0; year <= lastYear; year++) {
    const start = birthTime + year * MS_PER_YEAR;
    const stop = Math.min(start + MS_PER_YEAR, end);
    if (stop <= from || stop <= start) continue;
    let rate = interpolate(m.annualRateByAge, year + 0.5) * sexFactor;
    for (const r of risks) if (r.onset !== undefined && r.onset <= year + 0.5) rate *= r.multiplier;
    const n = poisson(rng, rate * boost * ((stop - start) / MS_PER_YEAR));
    if (n === 0) continue;
    const times: number[] = [];
    for (let i = 0; i < n; i++) times.push(start + rng.next() * (stop - start));
    times.sort((a, b) => a - b);
    for (const onset of times) {
      if (season !== undefined && !rng.chance(season[new Date(onset).getUTCMonth()]! / seasonMax)) continue;
      if (onset < from || onset < busyUntil) continue;
      const age = (onset - birthTime) / MS_PER_YEAR;
      const setting = pickSetting(rng, m, age);
      const toVisit = rng.uniform(m.daysToVisit.min, m.daysToVisit.max);
      const stay = m.lengthOfStayDays === undefined ? 0 : rng.uniform(m.lengthOfStayDays.min, m.lengthOfStayDays.max);
      const duration = Math.max(rng.uniform(m.durationDays.min, m.durationDays.max), toVisit + (setting === 'admission' ? stay : 0) + 1);
      const resolves = onset + duration * MS_PER_DAY;
      out.push({ module: m, onset, age, setting, seenDay: onset + toVisit * MS_PER_DAY, resolves, stayDays: setting === 'admission' ? stay : 0 });
      busyUntil = resolves;
      if (m.oncePerLife) return out;
    }
  }
  return out;
}

/** A discharge prescription is written this long before the patient leaves. */
const DISCHARGE_SCRIPT_BEFORE_MINUTES = 60;

/**
 * Every episode of a life, in onset order. Each module draws from its own stream (`rngFor(key)`),
 * so adding a module never changes the episodes of the others.
 */
export function planEpisodes(modules: readonly AcuteModule[], inputs: EpisodeInputs, rngFor: (key: string) => Rng): PlannedEpisode[] {
  const all: PlannedEpisode[] = [];
  for (const m of modules) for (const e of planModule(m, inputs, rngFor(m.key))) all.push(e);
  return all.sort((a, b) => a.onset - b.onset || (a.module.key < b.module.key ? -1 : 1));
}

const SYMPTOM_VISIT: Coding = { system: 'http://snomed.info/sct', code: '185345009', display: 'Encounter for symptom (procedure)' };
const EMERGENCY_VISIT: Coding = { system: 'http://snomed.info/sct', code: '50849002', display: 'Emergency room admission (procedure)' };
const EMERGENCY_ADMISSION: Coding = { system: 'http://snomed.info/sct', code: '183452005', display: 'Emergency hospital admission (procedure)' };
const DISCHARGED_HOME: Coding = { system: 'http://terminology.hl7.org/CodeSystem/discharge-disposition', code: 'home', display: 'Home' };

/** Minutes an emergency visit lasts before discharge or admission (drawn uniformly). */
const EMERGENCY_MINUTES = { min: 120, max: 360 } as const;

/** When an episode seen in the emergency department arrives there: the day it is seen, an hour after onset at the earliest. */
function emergencyArrival(ep: PlannedEpisode): Instant {
  return Math.max(ep.onset + MS_PER_HOUR, Math.floor(ep.seenDay / MS_PER_MINUTE) * MS_PER_MINUTE);
}

/** An admitted episode's inpatient stay, half a day at least. */
function stayLength(ep: PlannedEpisode): number {
  return Math.max(0.5, ep.stayDays) * MS_PER_DAY;
}

/**
 * The span each admitted episode will keep the patient in hospital, from arrival in the emergency
 * department to the latest discharge its emergency visit's length allows. Known from the plan
 * alone, so the clinic visits, charted before the episodes, can be moved out of these stays
 * (a patient admitted with pneumonia does not keep a checkup that week). An episode later left out
 * of the chart (under way at the record's end, or during another stay) still holds its span: the
 * visit moved for it is moved a few days only.
 */
export function plannedAdmissions(planned: readonly PlannedEpisode[]): [Instant, Instant][] {
  return planned
    .filter((ep) => ep.setting === 'admission')
    .map((ep) => {
      const arrive = emergencyArrival(ep);
      return [arrive, arrive + EMERGENCY_MINUTES.max * MS_PER_MINUTE + stayLength(ep)];
    });
}

/** Where and by whom episodes are seen, and what the chart needs from the rest of the life. */
export interface EpisodeCare {
  readonly birthTime: Instant;
  /** The clinic's time zone (clinic hours are local). */
  readonly zone: string;
  /** The patient's drug allergies: checked before every order. */
  readonly allergies?: readonly KnownAllergy[];
  readonly end: Instant;
  readonly died: boolean;
  readonly body: Body;
  readonly clinic: Site;
  /** The patient's own clinic doctor at an age. */
  practitionerAt(age: number): Practitioner;
  /** The hospital the patient goes to for urgent care, emergencies and admissions. */
  readonly hospital: Site;
  /** Records that a site and practitioner are referenced (so the bundle carries them). */
  use(site: Site, practitioner: Practitioner): void;
  /** True when [start, stop] overlaps a hospital stay already charted. */
  readonly occupied?: (start: Instant, stop: Instant) => boolean;
  /** The blood-pressure effect of the antihypertensives the patient was on at a time (none when omitted). */
  readonly bpShiftAt?: (time: Instant) => { systolic: number; diastolic: number };
}

/** What charted episodes add to the record, as they are charted. */
interface EpisodeChart {
  readonly encounters: Encounter[];
  readonly conditions: ConditionEntry[];
  readonly medications: MedicationOrder[];
  readonly procedures: ProcedureEntry[];
  readonly vitals: VitalSign[];
  readonly bloodPressures: BloodPressure[];
  readonly labReports: LabReport[];
}

function staff(site: Site, role: 'emergency' | 'hospitalist', rng: Rng): Practitioner {
  const list = site.staff.filter((p) => p.role === role);
  return rng.pick(list.length > 0 ? list : site.staff);
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

/**
 * The vital signs a sick visit records, from the person's own body (age curves plus personal
 * offsets, as at well visits), without the growth measurements a well visit takes.
 */
function restingVitals(body: Body, age: number, rng: Rng): { temperatureC: number; heartRate: number; respiratoryRate: number; spo2: number } {
  const p = loadPhysiology();
  return {
    heartRate: Math.round(interpolate(p.heartRateByAge, age) + body.offsets.heartRate + rng.normal(0, p.heartRate.visitSd)),
    respiratoryRate: Math.round(interpolate(p.respiratoryRateByAge, age) + body.offsets.respiratoryRate + rng.normal(0, p.respiratoryRate.visitSd)),
    temperatureC: round1(p.bodyTemperature.mean + body.offsets.temperature + rng.normal(0, p.bodyTemperature.visitSd)),
    spo2: Math.min(p.oxygenSaturation.max, Math.round(p.oxygenSaturation.mean + body.offsets.spo2 + rng.normal(0, p.oxygenSaturation.visitSd))),
  };
}

/**
 * Charts planned episodes into encounters and their items. An episode whose care would run past
 * the end of the record is left out (it is not in the chart yet); one that is seen but still
 * running at the end stays active without abatement, and its unfinished courses stay active.
 */
export function chartEpisodes(planned: readonly PlannedEpisode[], care: EpisodeCare, ids: IdAllocator, rng: Rng): StepFragment<'episodes'> {
  const chart: EpisodeChart = { encounters: [], conditions: [], medications: [], procedures: [], vitals: [], bloodPressures: [], labReports: [] };
  // Weight and blood pressure draw from a stream of their own, so adding them left every other draw as it was.
  const measureRng = rng.fork('weight-and-blood-pressure');
  const { end, birthTime } = care;
  const busy: [Instant, Instant][] = [];
  for (const ep of planned) {
    const m = ep.module;
    // Encounters: where it is seen, when, by whom.
    let first: { start: Instant; end: Instant; cls: Encounter['class']; type: Coding; site: Site; doctor: Practitioner };
    if (ep.setting === 'clinic') {
      const slot = clinicSlot(rng, ep.seenDay, care.zone);
      first = { ...slot, end: slot.start + rng.int(20, 40) * MS_PER_MINUTE, cls: 'AMB', type: SYMPTOM_VISIT, site: care.clinic, doctor: care.practitionerAt(ep.age) };
    } else if (ep.setting === 'urgent-care') {
      const slot = clinicSlot(rng, ep.seenDay, care.zone);
      first = { start: slot.start, end: slot.start + rng.int(30, 90) * MS_PER_MINUTE, cls: 'AMB', type: SYMPTOM_VISIT, site: care.hospital, doctor: staff(care.hospital, 'emergency', rng) };
    } else {
      const start = emergencyArrival(ep);
      first = { start, end: start + rng.int(EMERGENCY_MINUTES.min, EMERGENCY_MINUTES.max) * MS_PER_MINUTE, cls: 'EMER', type: EMERGENCY_VISIT, site: care.hospital, doctor: staff(care.hospital, 'emergency', rng) };
    }
    if (first.start < ep.onset) {
      // Seen the same day, but the clinic slot fell before the symptoms began: shift the visit.
      const length = first.end - first.start;
      first.start = Math.ceil((ep.onset + 30 * MS_PER_MINUTE) / MS_PER_MINUTE) * MS_PER_MINUTE;
      first.end = first.start + length;
    }
    let stay: { start: Instant; end: Instant; doctor: Practitioner } | undefined;
    if (ep.setting === 'admission') {
      const start = first.end;
      stay = { start, end: start + stayLength(ep), doctor: staff(care.hospital, 'hospitalist', rng) };
    }
    const lastEnd = stay?.end ?? first.end;
    if (lastEnd > end || ep.onset < birthTime) continue;
    // Fallen ill while already in hospital: the inpatient team treats it, no separate visit is charted.
    if (care.occupied?.(first.start, lastEnd) === true) continue;
    // Likewise for two acute illnesses at once: the one charted first is being cared for.
    if (busy.some(([a, b]) => first.start < b && lastEnd > a)) continue;
    busy.push([first.start, lastEnd]);

    const conditionId = ids.next<ConditionId>();
    const visitId = ids.next<EncounterId>();
    care.use(first.site, first.doctor);
    const visit: Encounter = {
      id: visitId,
      class: first.cls,
      type: first.type,
      start: first.start,
      end: first.end,
      practitionerId: first.doctor.id,
      organizationId: first.site.organization.id,
      locationId: first.site.location.id,
      reason: m.code,
      reasonConditionId: conditionId,
      ...(first.cls === 'EMER' && stay === undefined ? { dischargeDisposition: DISCHARGED_HOME } : {}),
    };
    chart.encounters.push(visit);
    let inpatient: Encounter | undefined;
    if (stay !== undefined) {
      care.use(care.hospital, stay.doctor);
      inpatient = {
        id: ids.next(),
        class: 'IMP',
        type: EMERGENCY_ADMISSION,
        start: stay.start,
        end: stay.end,
        practitionerId: stay.doctor.id,
        organizationId: care.hospital.organization.id,
        locationId: care.hospital.location.id,
        reason: m.code,
        reasonConditionId: conditionId,
        dischargeDisposition: DISCHARGED_HOME,
      };
      chart.encounters.push(inpatient);
    }

    // The diagnosis, made at the first encounter; it resolves unless still running at the end.
    const recorded = first.start + 10 * MS_PER_MINUTE;
    const resolves = Math.max(ep.resolves, lastEnd);
    const resolved = resolves <= end;
    chart.conditions.push({
      id: conditionId,
      key: m.key,
      code: m.code,
      category: 'encounter-diagnosis',
      onset: ep.onset,
      recorded,
      encounterId: visit.id,
      practitionerId: visit.practitionerId,
      clinicalStatus: resolved ? 'resolved' : 'active',
      abatement: resolved ? resolves : undefined,
    });

    // Vitals at the visit: the person's own body, with the illness on top.
    const reading = restingVitals(care.body, ep.age, rng);
    let temperature = reading.temperatureC;
    let heartRate = reading.heartRate;
    let respiratoryRate = reading.respiratoryRate;
    if (m.fever !== undefined && rng.chance(m.fever.share)) {
      const fever = Math.min(41, Math.max(37.8, rng.normal(m.fever.meanC, m.fever.sdC)));
      heartRate += Math.round((fever - temperature) * 10);
      respiratoryRate += Math.round((fever - temperature) * 2);
      temperature = round1(fever);
    }
    const spo2 = Math.round(reading.spo2 - m.spo2Drop * rng.uniform(0.5, 1.5));
    const t = first.start + 5 * MS_PER_MINUTE;
    const add = (kind: VitalKind, value: number): void => {
      chart.vitals.push({ id: ids.next(), kind, encounterId: visit.id, time: t, value });
    };
    add('bodyTemperature', temperature);
    add('heartRate', heartRate);
    add('respiratoryRate', respiratoryRate);
    add('oxygenSaturation', Math.min(100, spo2));
    // Every sick and emergency visit weighs the patient (children's doses go by it) and, from the age
    // the clinic does, takes a blood pressure: triage without one is not a triage.
    const ageAtVisit = (t - birthTime) / MS_PER_YEAR;
    const weightKg = round1(weightAt(care.body, ageAtVisit) * (1 + measureRng.normal(0, 0.01)));
    add('bodyWeight', weightKg);
    const heightM = heightAt(care.body, ageAtVisit) / 100;
    const bp = bloodPressureReading(care.body, ageAtVisit, ageAtVisit >= 2 ? weightKg / (heightM * heightM) : undefined, measureRng, care.bpShiftAt?.(t));
    if (bp !== undefined) chart.bloodPressures.push({ id: ids.next(), encounterId: visit.id, time: t, ...bp });

    // Tests and procedures.
    let cursor = recorded + 5 * MS_PER_MINUTE;
    let stayCursor = stay === undefined ? 0 : stay.start + rng.int(60, 360) * MS_PER_MINUTE;
    for (const p of m.procedures) {
      if (!rng.chance(p.share)) continue;
      const minutes = rng.uniform(p.minutes.min, p.minutes.max);
      const inStay = p.at === 'stay' && stay !== undefined && inpatient !== undefined;
      const start = inStay ? stayCursor : cursor;
      const stop = Math.round((start + minutes * MS_PER_MINUTE) / MS_PER_MINUTE) * MS_PER_MINUTE;
      const enc = inStay ? inpatient! : visit;
      chart.procedures.push({
        id: ids.next(),
        code: p.code,
        encounterId: enc.id,
        practitionerId: enc.practitionerId,
        start,
        end: Math.min(stop, enc.end),
        reasonConditionId: conditionId,
      });
      if (inStay) stayCursor = stop + 15 * MS_PER_MINUTE;
      else cursor = Math.min(stop, visit.end);
    }

    // Labs drawn at the visit, one report each, drawn and reported as every lab is.
    for (const lab of m.labs) {
      if (!rng.chance(lab.share)) continue;
      const value = drawLabValue(lab.draw, rng);
      const id = ids.next();
      const result = labResult(lab.draw.lab, value, ids, { sex: care.body.sex });
      chart.labReports.push({
        id,
        code: result.code,
        encounterId: visit.id,
        practitionerId: visit.practitionerId,
        time: Math.min(recorded + 5 * MS_PER_MINUTE, visit.end),
        results: [result],
      });
    }

    // Medication courses, ordered at the diagnosis; each ends when its course does. An admitted
    // patient is treated on the ward (ward-orders.ts) and goes home with the course, prescribed at
    // discharge (the oral step-down of PIDS/IDSA 2011 and ATS/IDSA 2019), not started in the ED.
    const authored = inpatient === undefined ? Math.max(recorded, Math.min(recorded + 5 * MS_PER_MINUTE, visit.end)) : inpatient.end - DISCHARGE_SCRIPT_BEFORE_MINUTES * MS_PER_MINUTE;
    const orderedAt = inpatient ?? visit;
    // Still on the ward at the end of the record: no discharge prescription yet.
    const courses = inpatient === undefined || authored <= end ? m.medications : [];
    // The product and dose fit the child's age on the day of the order (a sixth birthday may fall between onset and visit).
    const ageAtOrder = (authored - birthTime) / MS_PER_YEAR;
    for (const slot of courses) {
      if (!rng.chance(slot.share)) continue;
      // Each option as its era prescribes it (an older alternative, or none before the drug existed).
      const forAge = slot.options.flatMap((o) => {
        const medication = ageAtOrder >= o.minAge && ageAtOrder < o.maxAge ? eraChoice(o.medication, authored) : undefined;
        return medication === undefined ? [] : [{ weight: o.weight, medication }];
      });
      if (forAge.length === 0) continue;
      // The allergy check: options the patient is allergic to are out; if all are, the data's alternative.
      const allergies = care.allergies ?? [];
      const options = forAge.filter((o) => conflictingAllergen(o.medication.code, allergies, authored) === undefined);
      const allergen = options.length === 0 ? conflictingAllergen(forAge[0]!.medication.code, allergies, authored) : undefined;
      const medication =
        options.length > 0
          ? options[rng.weightedIndex(options.map((o) => o.weight))]!.medication
          : eraChoice(loadDrugAllergies().allergens[allergen!]!.instead, authored);
      if (medication === undefined || conflictingAllergen(medication.code, allergies, authored) !== undefined) continue;
      // A child's liquid is dosed by the weight taken at this visit.
      const drugDosing = loadDosing().drugs[medication.code];
      let dose: ReturnType<typeof weightDose>;
      if (drugDosing?.byWeight !== undefined) {
        dose = weightDose(drugDosing, weightKg, m.key);
      }
      const courseEnd = authored + slot.days * MS_PER_DAY;
      const finished = courseEnd <= end;
      chart.medications.push({
        id: ids.next(),
        medication,
        conditionId,
        encounterId: orderedAt.id,
        practitionerId: orderedAt.practitionerId,
        authored,
        status: finished ? 'completed' : care.died ? 'stopped' : 'active',
        end: finished ? courseEnd : care.died ? end : undefined,
        courseDays: slot.days,
        ...(dose === undefined ? {} : { weightDose: dose }),
      });
    }
  }
  return chart;
}

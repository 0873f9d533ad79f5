/**
 * One simulated life, from birth to the reference date or death: who the person is, when they see
 * their clinic, what is measured there, which vaccines they get, how they smoke, what they are
 * allergic to. Every module draws from its own child stream, so adding a module never changes what
 * the others produce.
 */
import { loadSmoking, loadWellness } from '../knowledge/lifecycle.js';
import { loadAllergies } from '../knowledge/allergies.js';
import { loadPlacesByState } from '../knowledge/places.js';
import { MS_PER_MINUTE, MS_PER_YEAR, instantToDate, type Instant } from '../core/time.js';
import type {
  Allergy,
  BloodPressure,
  CauseOfDeath,
  Encounter,
  Immunization,
  PatientRecord,
  Practitioner,
  SmokingObservation,
  VitalKind,
  VitalSign,
} from '../record/types.js';
import { SYSTEMS } from '../record/types.js';
import { conditionModules } from '../knowledge/conditions.js';
import { acuteModules } from '../knowledge/acute.js';
import { chartEpisodes, planEpisodes } from './episodes.js';
import { bmiAt, createBody, measure } from './body.js';
import { ClinicalCourse } from './clinical-course.js';
import { planFollowUps } from './follow-ups.js';
import { planOnsets, truncateCourse } from './onsets.js';
import { planPregnancies, pregnancyRecords, type PregnancyRecords } from './pregnancy.js';
import { planScreenings, screeningRecords } from './screening.js';
import type { CohortContext } from './cohort.js';
import { sampleBirth, sampleLanguage, sampleMaritalStatus, sampleRaceEthnicity, sampleState } from './demography.js';
import { fictionalPhone, withFaker } from './fake.js';
import { IdAllocator, uuidFromKey } from './ids.js';
import { planAllergies } from './allergy-plan.js';
import { withIssued } from './lab-turnaround.js';
import { planImmunizations, type PlannedDose } from './immunization-plan.js';
import { planAcuteEpisodes } from './acute-episodes.js';
import { sampleDeath } from './disease-mortality.js';
import { HospitalStays } from './hospital-stays.js';
import { planPathways } from './pathways.js';
import { ProviderSetBuilder } from './provider-set.js';
import { ambulatoryEncounter } from './site-encounter.js';
import { Rng, childKey, type StreamKey } from '../core/random.js';
import { sampleSmokingHistory, smokingStatusAt } from './smoking.js';
import { clinicSlot, planWellVisits, type PlannedVisit } from './visits.js';

const ADULT_AGE = 18;

interface Slot {
  start: Instant;
  end: Instant;
  age: number;
  kind: PlannedVisit['kind'] | 'immunization' | 'followUp';
  doses: PlannedDose[];
}

export function simulatePatient(ctx: CohortContext, key: StreamKey, index: number, attempt: number): PatientRecord {
  const rng = new Rng(key);
  const ref = ctx.referenceTime;

  // Birth; the body, smoking and latent disease over the whole span to the reference date; then
  // death (life table raised by disease, or a fatal hospital episode), which cuts the rest short.
  const birthDraw = sampleBirth(rng.fork('birth'), ctx.spec);
  const birthTime = Math.round((ref - birthDraw.ageAtReference * MS_PER_YEAR) / MS_PER_MINUTE) * MS_PER_MINUTE;
  const sex = birthDraw.sex;
  const birthYear = new Date(birthTime).getUTCFullYear();
  const ageAtRef = (ref - birthTime) / MS_PER_YEAR;
  const body = createBody(rng.fork('body'), sex, birthYear);
  const smokingHistory = sampleSmokingHistory(rng.fork('smoking'), sex, birthYear, ageAtRef);
  const latent = planOnsets(conditionModules(), { body, sex, smoking: smokingHistory, ageAtEnd: ageAtRef }, (k) =>
    rng.fork('condition', k),
  );
  const acuteCare = planAcuteEpisodes(latent, birthTime, ageAtRef, (k) => rng.fork('acute-care', k));
  const death = sampleDeath(rng.fork('mortality'), sex, latent, acuteCare, birthTime, ageAtRef);
  const deathTime =
    death === undefined
      ? undefined
      : (death.episode?.discharge ?? Math.round((birthTime + death.age * MS_PER_YEAR) / MS_PER_MINUTE) * MS_PER_MINUTE);
  const end = deathTime ?? ref;
  const ageAtEnd = (end - birthTime) / MS_PER_YEAR;
  const courses = latent.map((c) => truncateCourse(c, ageAtEnd));

  // Identity.
  const idRng = rng.fork('identity');
  const state = sampleState(idRng, ctx.spec.state);
  const who = sampleRaceEthnicity(idRng);
  const language = sampleLanguage(idRng, who);
  const maritalStatus = sampleMaritalStatus(idRng, Math.floor(ageAtEnd));
  const places = loadPlacesByState().get(state.code) ?? [];
  const place = places.length > 0 ? idRng.pick(places) : { zip: '00000', city: state.name, state: state.code };
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
  const demographics = {
    givenNames,
    familyName: names.family,
    prefix,
    sex,
    birthTime,
    birthDate: instantToDate(birthTime),
    race: who.race,
    ethnicity: who.ethnicity,
    address: { line: [street], city: place.city, state: state.code, postalCode: place.zip },
    phone: fictionalPhone(idRng, state.areaCode),
    email: adultAtEnd ? `${emailName}${idRng.int(1, 99)}@example.com` : undefined,
    language,
    maritalStatus,
    mrn: `MRN${String(idRng.int(0, 99_999_999)).padStart(8, '0')}`,
    ssn: `999-${String(idRng.int(10, 99))}-${String(idRng.int(1000, 9999))}`,
  };

  // Primary care: a clinic in the home state, a pediatrician for childhood, an adult physician later.
  const careRng = rng.fork('primary-care');
  const directory = ctx.providers.forState(state.code);
  const clinic = careRng.pick(directory.clinics);
  const pediatrician = careRng.pick(clinic.staff.filter((p) => p.role === 'pediatrics'));
  const adultDoctor = careRng.pick(clinic.staff.filter((p) => p.role !== 'pediatrics'));
  const providers = new ProviderSetBuilder();
  const practitionerAt = (age: number): Practitioner => (age < ADULT_AGE ? pediatrician : adultDoctor);

  // Plans.
  const visits = planWellVisits(rng.fork('visits'), birthTime, end);
  const doses = planImmunizations(rng.fork('immunizations'), birthTime, end);
  const allergyPlan = planAllergies(rng.fork('allergies'), birthTime, end);

  // Screening at preventive visits can find a latent cancer before symptoms would.
  const screening = planScreenings(rng.fork('screening'), visits.filter((v) => v.kind === 'adultCheckup'), sex, smokingHistory, courses);

  // Doses go to a visit inside their window when there is one, else to an immunization visit.
  const slots: Slot[] = visits.map((v) => ({ ...v, doses: [] }));
  const shotRng = rng.fork('immunization-visits');
  const extra: Slot[] = [];
  let cursor = 0;
  for (const dose of doses) {
    while (cursor < slots.length && slots[cursor]!.start < dose.earliest) cursor++;
    const visit = slots[cursor];
    if (visit !== undefined && visit.start <= dose.latest) {
      visit.doses.push(dose);
      continue;
    }
    const same = extra.find((s) => s.start >= dose.earliest && s.start <= dose.latest);
    if (same !== undefined) {
      same.doses.push(dose);
      continue;
    }
    const slot = clinicSlot(shotRng, dose.earliest + shotRng.next() * (dose.latest - dose.earliest));
    if (slot.end > end) continue;
    extra.push({ ...slot, age: (slot.start - birthTime) / MS_PER_YEAR, kind: 'immunization', doses: [dose] });
  }
  const followUps = planFollowUps(
    rng.fork('follow-ups'),
    courses,
    slots.map((v) => v.start),
    birthTime,
    end,
  ).map((f): Slot => ({ ...f, doses: [] }));
  const allSlots = slots.concat(extra, followUps).sort((a, b) => a.start - b.start);

  // Build the record in time order; ids are allocated in that order.
  const ids = new IdAllocator(childKey(key, 'items'));
  const wellness = loadWellness();
  const smokingAskedFrom = loadSmoking().askedFromAge;
  const vitalsRng = rng.fork('vitals');
  const encounters: Encounter[] = [];
  // Screenings happen at the checkup planned for them, even when an episode's visit starts the same minute.
  const checkupAt = new Map<Instant, Encounter>();
  const vitals: VitalSign[] = [];
  const bloodPressures: BloodPressure[] = [];
  const smoking: SmokingObservation[] = [];
  const immunizations: Immunization[] = [];
  const clinical = new ClinicalCourse(screening.courses, birthTime, ids, rng.fork('clinical-course'), rng.fork('glycemia'), sex);
  const hospital = rng.fork('hospital').pick(directory.hospitals);
  // A terminal admission (death in hospital from a chronic condition) joins the planned episodes.
  const charted =
    death?.episode === undefined || acuteCare.includes(death.episode)
      ? acuteCare
      : [...acuteCare.filter((e) => e.arrive < death.episode!.arrive), death.episode];
  const stays = new HospitalStays(charted, end, hospital, ids, rng.fork('hospital-stays'), clinical, providers, encounters, vitals);
  for (const slot of allSlots) {
    stays.until(slot.start);
    if (slot.doses.length === 0 && stays.occupied(slot.start, slot.end)) continue; // in hospital that day
    const practitioner = practitionerAt(slot.age);
    providers.add(clinic, practitioner);
    const encounter = ambulatoryEncounter(ids.next(), wellness.encounterTypes[slot.kind], slot, clinic, practitioner);
    encounters.push(encounter);
    if (slot.kind === 'adultCheckup') checkupAt.set(slot.start, encounter);
    const t = slot.start + 5 * MS_PER_MINUTE;
    if (slot.kind !== 'immunization') {
      const reading = measure(body, slot.age, vitalsRng, clinical.bpShift());
      const add = (kind: VitalKind, value: number | undefined): void => {
        if (value !== undefined) vitals.push({ id: ids.next(), kind, encounterId: encounter.id, time: t, value });
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
      if (reading.systolic !== undefined && reading.diastolic !== undefined) {
        bloodPressures.push({
          id: ids.next(),
          encounterId: encounter.id,
          time: t,
          systolic: reading.systolic,
          diastolic: reading.diastolic,
        });
      }
      if (slot.age >= smokingAskedFrom) {
        smoking.push({ id: ids.next(), encounterId: encounter.id, time: t, status: smokingStatusAt(smokingHistory, slot.age) });
      }
      clinical.visit(encounter, slot.age, reading);
    }
    for (const dose of slot.doses) {
      immunizations.push({
        id: ids.next(),
        encounterId: encounter.id,
        time: slot.start + 15 * MS_PER_MINUTE,
        vaccine: { system: SYSTEMS.cvx, code: dose.vaccine.cvx, display: dose.vaccine.display },
        doseNumber: dose.doseNumber,
      });
    }
  }

  // Allergies are recorded at the first encounter after onset (none recorded is "no known allergy").
  const allergies: Allergy[] = [];
  for (const planned of allergyPlan) {
    const at = encounters.find((e) => e.start >= planned.onset);
    if (at === undefined) continue;
    allergies.push({
      id: ids.next(),
      code: planned.kind.code,
      name: planned.kind.name,
      category: planned.kind.category,
      type: planned.kind.type,
      criticality: planned.kind.criticality,
      onset: planned.onset,
      recorded: at.start,
      encounterId: at.id,
      practitionerId: at.practitionerId,
      clinicalStatus: planned.resolved !== undefined && planned.resolved < end ? 'resolved' : 'active',
      resolved: planned.resolved,
      reactions: planned.reactions,
      isNoKnownAllergy: false,
    });
  }
  const firstEncounter = encounters[0];
  if (allergies.length === 0 && firstEncounter !== undefined) {
    allergies.push({
      id: ids.next(),
      code: loadAllergies().noKnownAllergy,
      name: 'No known allergies',
      category: undefined,
      type: undefined,
      criticality: undefined,
      onset: undefined,
      recorded: firstEncounter.start,
      encounterId: firstEncounter.id,
      practitionerId: firstEncounter.practitionerId,
      clinicalStatus: 'active',
      resolved: undefined,
      reactions: [],
      isNoKnownAllergy: true,
    });
  }
  stays.until(end);
  // Acute episodes (infections, injuries): their own encounters, diagnoses, procedures and courses.
  const acuteRng = rng.fork('acute-episodes');
  const latentOnset = new Map(courses.map((c) => [c.module.key, c.onsetAge]));
  const planned = planEpisodes(acuteModules(), { birthTime, end, sex, onsetAgeOf: (k) => latentOnset.get(k) }, (k) =>
    acuteRng.fork('plan', k),
  );
  const episodes = chartEpisodes(
    planned,
    {
      birthTime,
      end,
      died: deathTime !== undefined,
      allergies: allergyPlan.map((a) => ({ code: a.kind.code.code, onset: a.onset, resolved: a.resolved })),
      body,
      clinic,
      practitionerAt,
      hospital: acuteRng.fork('hospital').pick(directory.hospitals),
      use: (site, practitioner) => providers.add(site, practitioner),
    },
    ids,
    acuteRng.fork('chart'),
  );
  if (episodes.encounters.length > 0) {
    encounters.push(...episodes.encounters);
    encounters.sort((a, b) => a.start - b.start);
    vitals.push(...episodes.vitals);
  }

  providers.add(clinic, practitionerAt(ageAtEnd));
  clinical.finish(end, deathTime !== undefined);
  encounters.sort((a, b) => a.start - b.start);
  const deathEncounter = stays.deathEncounter;
  const causeOfDeath: CauseOfDeath | undefined =
    death === undefined || deathTime === undefined
      ? undefined
      : {
          id: ids.next(),
          code: death.cause,
          time: deathTime,
          encounterId: deathEncounter?.id,
          practitionerId: deathEncounter?.practitionerId,
        };

  // Specialist pathways read off the finished chart (own id stream, so they shift no other item's id).
  const pathways = planPathways(
    {
      conditions: clinical.conditions,
      labReports: clinical.labReports,
      end,
      death: causeOfDeath === undefined ? undefined : { cause: causeOfDeath.code.code, time: causeOfDeath.time },
      hospital,
    },
    new IdAllocator(childKey(key, 'pathways')),
    rng.fork('pathways'),
  );
  for (const p of pathways.practitioners) providers.add(hospital, p);
  if (pathways.encounters.length > 0) {
    encounters.push(...pathways.encounters);
    encounters.sort((a, b) => a.start - b.start);
  }

  // Screening results, then pregnancies (own id streams, so they shift no other item's id).
  const screened = screeningRecords(screening.screenings, (t) => checkupAt.get(t), new IdAllocator(childKey(key, 'screening')));
  const pregnancy: PregnancyRecords =
    sex === 'female'
      ? pregnancyRecords(planPregnancies(rng.fork('pregnancy'), ageAtEnd, (a) => bmiAt(body, a) >= 30), {
          rng: rng.fork('pregnancy-care'),
          ids: new IdAllocator(childKey(key, 'pregnancy')),
          birthTime,
          end,
          clinic,
          practitionerAt,
          hospitals: directory.hospitals,
          providers,
          body,
        })
      : { encounters: [], conditions: [], procedures: [], labReports: [], statuses: [], vitals: [], bloodPressures: [] };
  if (pregnancy.encounters.length > 0) {
    encounters.push(...pregnancy.encounters);
    encounters.sort((a, b) => a.start - b.start);
  }

  return {
    id: uuidFromKey(childKey(key, 'patient-id')),
    index,
    attempt,
    demographics,
    deathTime,
    primaryCare: {
      organizationId: clinic.organization.id,
      locationId: clinic.location.id,
      practitionerId: practitionerAt(ageAtEnd).id,
    },
    encounters,
    vitals: pregnancy.vitals.length === 0 ? vitals : [...vitals, ...pregnancy.vitals],
    bloodPressures: pregnancy.bloodPressures.length === 0 ? bloodPressures : [...bloodPressures, ...pregnancy.bloodPressures],
    smoking,
    immunizations,
    allergies,
    conditions: [
      ...clinical.conditions.map((c) => {
        const stage = pathways.stages.get(c.id);
        return stage === undefined ? c : { ...c, stage };
      }),
      ...pathways.conditions,
      ...episodes.conditions,
      ...pregnancy.conditions,
    ],
    medications: [...clinical.medications, ...episodes.medications],
    labReports: withIssued([...clinical.labReports, ...episodes.labReports, ...screened.labReports, ...pregnancy.labReports], encounters, end),
    procedures: [...stays.procedures, ...pathways.procedures, ...episodes.procedures, ...screened.procedures, ...pregnancy.procedures],
    carePlans: clinical.carePlans,
    goals: clinical.goals,
    pregnancyStatuses: pregnancy.statuses,
    ...(causeOfDeath === undefined ? {} : { causeOfDeath }),
    providers: providers.build(),
  };
}

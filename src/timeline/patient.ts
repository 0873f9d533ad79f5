/**
 * One simulated life, from birth to the reference date or death: who the person is, when they see
 * their clinic, what is measured there, which vaccines they get, how they smoke, what they are
 * allergic to. Every module draws from its own child stream, so adding a module never changes what
 * the others produce; every step hands back a {@link RecordFragment}, merged once into the record.
 */
import { conditionModules } from '../knowledge/conditions.js';
import { timeZoneOf } from '../knowledge/population.js';
import { acuteModules } from '../knowledge/acute.js';
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, MS_PER_YEAR, type Instant } from '../core/time.js';
import type { AdministrativeSex, ConditionEntry, Death, Encounter, PatientRecord } from '../record/types.js';
import { Rng, childKey, type StreamKey } from '../core/random.js';
import { planAllergies, recordAllergies, type PlannedAllergy } from './allergy-plan.js';
import type { KnownAllergy } from '../knowledge/drug-allergies.js';
import { planExacerbations, type PlannedExacerbation as PlannedStay } from './exacerbations.js';
import { bmiAt, createBody, type Body } from './body.js';
import { restaff } from './careers.js';
import { assignPrimaryCare, chartClinicVisits, type PrimaryCare } from './clinic-visits.js';
import { ClinicalCourse, diabetesKeys } from './clinical-course.js';
import type { CohortContext } from './cohort.js';
import { sampleBirth } from './demography.js';
import { sampleDeath, type DeathDraw } from './disease-mortality.js';
import { chartEpisodes, planEpisodes, plannedAdmissions, type PlannedEpisode } from './episodes.js';
import { ofTheirEra } from './eras.js';
import { withinPhysiologicLimits } from './vital-limits.js';
import { mergeSteps, type StepFragment } from './fragment.js';
import { HospitalStays } from './hospital-stays.js';
import { stageByLatestEgfr } from './ckd-stage.js';
import { planPathways } from './pathways.js';
import { chartSpecialistVisits } from './specialist-visits.js';
import { sampleDemographics } from './identity.js';
import { IdAllocator, uuidFromKey } from './ids.js';
import { planImmunizations } from './immunization-plan.js';
import { withIssued } from './lab-turnaround.js';
import { planOnsets, truncateCourse, type LatentCourse } from './onsets.js';
import { planPregnancies, plannedDeliveries, prenatalClinicianAt, pregnancyRecords } from './pregnancy.js';
import { pregnancyMedications } from './pregnancy-medications.js';
import { chartPostpartum } from './postpartum.js';
import { ProviderSetBuilder } from './provider-set.js';
import { localSites, type StateDirectory } from './providers.js';
import { planScreenings, screeningRecords } from './screening.js';
import { bookSlots } from './slots.js';
import { sampleSmokingHistory, type SmokingHistory } from './smoking.js';
import { planWellVisits } from './visits.js';
import { chartWards } from './ward.js';
import { holdForWardLabs } from './ward-holds.js';
import { chartWardOrders } from './ward-orders.js';
import { chartInrMonitoring } from './anticoagulation.js';

/** The life drawn before anything is charted: body, smoking, latent disease, hospital stays, death. */
interface Life {
  readonly sex: AdministrativeSex;
  readonly birthTime: Instant;
  readonly body: Body;
  readonly smoking: SmokingHistory;
  /** Latent courses, cut at the end of the record. */
  readonly courses: readonly LatentCourse[];
  /** The planned hospital episodes, a terminal admission among them. */
  readonly stays: readonly PlannedStay[];
  readonly death: (DeathDraw & { readonly time: Instant }) | undefined;
  /** End of the record: the reference date or death. */
  readonly end: Instant;
  readonly ageAtEnd: number;
}

export function simulatePatient(ctx: CohortContext, key: StreamKey, index: number, attempt: number): PatientRecord {
  const rng = new Rng(key);
  const life = sampleLife(rng, ctx.referenceTime, ctx.spec);
  const { sex, birthTime, body, end, ageAtEnd } = life;
  const demographics = sampleDemographics(rng.fork('identity'), { sex, birthTime, ageAtEnd, state: ctx.spec.state });
  // The clinics and hospitals near home (the nearest of the home ZIP's region).
  const directory = localSites(ctx.providers.forState(demographics.address.state), demographics.address.postalCode);
  const care = assignPrimaryCare(rng.fork('primary-care'), directory);
  // Clinic hours are kept on the wall clock of the patient's state.
  const zone = timeZoneOf(demographics.address.state);
  const providers = new ProviderSetBuilder();

  // Plans. Screening at preventive visits can find a latent cancer before symptoms would.
  const visits = planWellVisits(rng.fork('visits'), birthTime, end, zone);
  const allergyPlan = planAllergies(rng.fork('allergies'), birthTime, end);
  const screening = planScreenings(rng.fork('screening'), visits.filter((v) => v.kind === 'adultCheckup'), sex, life.smoking, life.courses);
  const slots = bookSlots({
    visits,
    doses: planImmunizations(rng.fork('immunizations'), birthTime, end),
    courses: life.courses,
    birthTime,
    sex,
    end,
    shotRng: rng.fork('immunization-visits'),
    followUpRng: rng.fork('follow-ups'),
    officeRng: rng.fork('office-visits'),
    zone,
  });

  // Stays charted after the clinic visits, known from their plans (own streams, keyed): an acute
  // illness's admission and a delivery. A clinic visit falling in one is rebooked after it.
  const acuteRng = rng.fork('acute-episodes');
  const acutePlan = planAcuteCare(acuteRng, life);
  const pregnancyPlan = sex === 'female' ? planPregnancies(rng.fork('pregnancy'), ageAtEnd, (a) => bmiAt(body, a) >= 30, 1970 + birthTime / MS_PER_YEAR) : [];
  const deliveries = plannedDeliveries(pregnancyPlan, birthTime);
  const inDelivery = (start: Instant, stop: Instant): boolean => deliveries.some(([a, b]) => start <= b && stop >= a);

  // The chart, in time order; ids are allocated in that order.
  const ids = new IdAllocator(childKey(key, 'items'));
  const clinical = new ClinicalCourse(screening.courses, birthTime, ids, rng.fork('clinical-course'), rng.fork('glycemia'), sex, knownAllergies(allergyPlan));
  const hospital = rng.fork('hospital').pick(directory.hospitals);
  const stays = new HospitalStays({ episodes: life.stays, end, hospital, ids, rng: rng.fork('hospital-stays'), clinical, providers, body, birthTime });
  const clinic = chartClinicVisits(slots, { care, body, smoking: life.smoking, clinical, stays, providers, ids, vitalsRng: rng.fork('vitals'), channelRng: rng.fork('care-channels'), rebookRng: rng.fork('rebook'), zone, end, admissions: [...plannedAdmissions(acutePlan), ...deliveries] });
  const allergies = recordAllergies(allergyPlan, clinic.items.encounters, end, ids);
  const lateStays = stays.until(end);
  // Fallen ill while in hospital (a stay, or her delivery): the inpatient team treats it, no separate visit.
  const episodes = chartAcuteCare(acuteRng, acutePlan, life, allergyPlan, care, directory, providers, ids, zone, (a, b) => stays.occupied(a, b) || inDelivery(a, b), (t) => clinical.bpShiftAt(t));
  providers.add(care.clinic, care.practitionerAt(ageAtEnd));
  const death = chartDeath(life.death, stays.deathEncounter, ids);

  // Specialist pathways read off the chart (own id stream, so they shift no other item's id); the
  // course closes after them, since a remission waits for the end of a cancer's treatment.
  const charted = clinical.charted();
  const booked = [clinic.items, lateStays, episodes].flatMap((f) => f.encounters ?? []);
  const pathways = planPathways(
    {
      conditions: charted.conditions,
      labReports: charted.labReports,
      end,
      death: death === undefined ? undefined : { cause: death.cause.code, time: death.time },
      hospital,
      zone,
      occupied: (start, stop) => stays.occupied(start, stop) || inDelivery(start, stop) || booked.some((e) => start <= e.end && stop >= e.start),
    },
    new IdAllocator(childKey(key, 'pathways')),
    rng.fork('pathways'),
  );
  for (const p of pathways.practitioners) providers.add(hospital, p);
  const course = clinical.finish(end, life.death !== undefined, pathways.treatedUntil);
  const staged: StepFragment<'course'> = {
    ...course,
    conditions: (course.conditions ?? []).map((c) => {
      const stage = pathways.stages.get(c.id);
      const code = c.clinicalStatus === 'active' ? pathways.recoded.get(c.id) : undefined;
      return stage === undefined && code === undefined ? c : { ...c, ...(stage === undefined ? {} : { stage }), ...(code === undefined ? {} : { code }) };
    }),
  };
  const specialist: StepFragment<'specialist'> = { encounters: pathways.encounters, conditions: pathways.conditions, procedures: pathways.procedures };
  // The specialists' vitals and labs (own streams and ids, so nothing else moves).
  const specialistCare = chartSpecialistVisits({
    encounters: pathways.encounters,
    visits: pathways.visits,
    procedures: pathways.procedures,
    body,
    birthTime,
    sex,
    bpShift: clinical.bpShift(),
    panel: clinical.wardPanels(rng.fork('specialist', 'lab-noise'), new IdAllocator(childKey(key, 'specialist-labs'))),
    vitalsRng: rng.fork('specialist', 'vitals'),
    labRng: rng.fork('specialist', 'labs'),
    ids: new IdAllocator(childKey(key, 'specialist-care')),
  });

  // A prenatal visit is not booked on a day she already sees the clinic or a specialist, nor while she is in hospital.
  const visitDays = new Set([...booked, ...pathways.encounters].filter((e) => e.class === 'AMB' || e.class === 'VR').map((e) => Math.floor(e.start / MS_PER_DAY)));
  const admitted = [...booked, ...pathways.encounters].filter((e) => e.class === 'IMP');
  const busyDay = (t: Instant): boolean => stays.occupied(t, t + MS_PER_HOUR) || admitted.some((e) => t <= e.end && t + MS_PER_HOUR >= e.start) || visitDays.has(Math.floor(t / MS_PER_DAY));
  // Screening results, then pregnancies (own id streams, so they shift no other item's id).
  const screened = screeningRecords(screening.screenings, (t) => clinic.checkupAt.get(t), new IdAllocator(childKey(key, 'screening')));
  // Prenatal and postpartum care by the clinic's obstetric clinician (her own doctor when she is one).
  const obstetricAt = sex === 'female' ? prenatalClinicianAt(care.clinic, care.practitionerAt) : care.practitionerAt;
  const pregnancy: StepFragment<'pregnancy'> =
    sex === 'female'
      ? pregnancyRecords(pregnancyPlan, {
          rng: rng.fork('pregnancy-care'),
          ids: new IdAllocator(childKey(key, 'pregnancy')),
          birthTime,
          end,
          clinic: care.clinic,
          practitionerAt: obstetricAt,
          hospitals: directory.hospitals,
          providers,
          body,
          zone,
          busyDay,
          diabetesAt: diabetesOnChart(screening.courses, charted.conditions, birthTime),
        })
      : {};
  // Postpartum care after each birth (own stream and ids): the prior therapy resumes at its comprehensive visit.
  const postpartum: StepFragment<'postpartum'> =
    sex === 'female'
      ? chartPostpartum({
          pregnancy,
          conditions: staged.conditions ?? [],
          rng: rng.fork('postpartum'),
          ids: new IdAllocator(childKey(key, 'postpartum')),
          birthTime,
          end,
          clinic: care.clinic,
          practitionerAt: obstetricAt,
          providers,
          body,
          zone,
          busyDay,
        })
      : {};
  // Drugs a pregnancy rules out are stopped at its first visit and resumed after it (own stream and ids).
  const medicated: StepFragment<'course'> =
    sex === 'female'
      ? {
          ...staged,
          medications: pregnancyMedications(
            {
              medications: staged.medications ?? [],
              conditions: staged.conditions ?? [],
              pregnancy,
              visits: [...(clinic.items.encounters ?? []).filter((e) => e.class === 'AMB'), ...(postpartum.encounters ?? [])],
              end,
              died: life.death !== undefined,
            },
            rng.fork('pregnancy-medications'),
            new IdAllocator(childKey(key, 'pregnancy-medications')),
          ),
        }
      : staged;

  // The ward chart of the acute-illness, delivery and planned-operation stays, read off the finished chart (own streams and ids).
  const wardIds = { acute: new IdAllocator(childKey(key, 'ward-acute')), delivery: new IdAllocator(childKey(key, 'ward-delivery')), deliveryVitals: new IdAllocator(childKey(key, 'ward-delivery-vitals')), operation: new IdAllocator(childKey(key, 'ward-operation')) };
  const ward = chartWards({ episodes, pregnancy, operations: specialist, draw: clinical.wardPanels(rng.fork('ward', 'lab-noise'), wardIds.acute), rng: rng.fork('ward'), ids: wardIds, body, birthTime, end, died: life.death !== undefined });
  // A ward value that rules out a home drug holds it, as a clinic value stops it (own ids).
  const wardStays = [episodes, pregnancy, specialist].flatMap((f) => f.encounters ?? []).filter((e) => e.class === 'IMP');
  const held: StepFragment<'course'> = { ...medicated, medications: holdForWardLabs(medicated.medications ?? [], wardStays, ward.labReports ?? [], new IdAllocator(childKey(key, 'ward-holds'))) };
  // INR checks of warfarin at her clinic (own stream and ids), on days with nothing else booked.
  const laterVisits = new Set([...(pregnancy.encounters ?? []), ...(postpartum.encounters ?? [])].filter((e) => e.class === 'AMB').map((e) => Math.floor(e.start / MS_PER_DAY)));
  const deliveryStays = (pregnancy.encounters ?? []).filter((e) => e.class === 'IMP');
  const inr = chartInrMonitoring({
    medications: held.medications ?? [],
    rng: rng.fork('inr'),
    ids: new IdAllocator(childKey(key, 'inr')),
    birthTime,
    end,
    sex,
    clinic: care.clinic,
    practitionerAt: care.practitionerAt,
    providers,
    zone,
    busyDay: (t) => busyDay(t) || laterVisits.has(Math.floor(t / MS_PER_DAY)) || deliveryStays.some((e) => t <= e.end && t + MS_PER_HOUR >= e.start),
  });

  // The inpatient team's admission orders for every stay but a delivery (own ids).
  const orderedStays = [clinic.items, lateStays, episodes, specialist].flatMap((f) => f.encounters ?? []).filter((e) => e.class === 'IMP');
  // The kidney function the team doses by: every draw charted so far, the ward's own included.
  const labReports = [clinic.items, lateStays, held, specialistCare, episodes, ward].flatMap((f) => f.labReports ?? []);
  const vitals = [clinic.items, lateStays, episodes, specialist, ward].flatMap((f) => f.vitals ?? []);
  const procedures = [clinic.items, lateStays, episodes, specialist, specialistCare, ward].flatMap((f) => f.procedures ?? []);
  const wardOrders = chartWardOrders({ stays: orderedStays, allergies: knownAllergies(allergyPlan), labReports, vitals, procedures, birthTime, end, died: life.death !== undefined, ids: new IdAllocator(childKey(key, 'ward-orders')) });

  // Each act as its date had it (the era's method, or left out before it existed), every vital
  // sign inside what a person of that age can show.
  // One fragment per step of RECORD_STEPS (fragment.ts), by name: a step left out, or one unnamed there, does not compile.
  const steps = mergeSteps({ clinic: clinic.items, lateStays, allergies, course: held, specialist, specialistCare, episodes, screening: screened, pregnancy, postpartum, ward, inr, wardOrders });
  const merged = stageByLatestEgfr(withinPhysiologicLimits(ofTheirEra(steps), birthTime));
  // Posts become the physicians holding them on each date (careers, successions).
  const staffed = restaff(merged, { ...(death === undefined ? {} : { death }), primaryCarePost: care.practitionerAt(ageAtEnd).id, end }, (id, t) => ctx.providers.holderAt(id, t));
  const items = staffed.items;
  return {
    id: uuidFromKey(childKey(key, 'patient-id')),
    index,
    attempt,
    demographics,
    primaryCare: {
      organizationId: care.clinic.organization.id,
      locationId: care.clinic.location.id,
      practitionerId: staffed.primaryCarePractitionerId,
    },
    ...items,
    labReports: withIssued(items.labReports, items.encounters, end),
    ...(staffed.death === undefined ? {} : { death: staffed.death }),
    providers: providers.build(staffed.practitioners),
  };
}

/**
 * Birth; the body, smoking and latent disease over the whole span to the reference date; then
 * death (life table raised by disease, or a fatal hospital episode), which cuts the rest short.
 */
function sampleLife(rng: Rng, ref: Instant, spec: CohortContext['spec']): Life {
  const birthDraw = sampleBirth(rng.fork('birth'), spec);
  const birthTime = Math.round((ref - birthDraw.ageAtReference * MS_PER_YEAR) / MS_PER_MINUTE) * MS_PER_MINUTE;
  const sex = birthDraw.sex;
  const birthYear = new Date(birthTime).getUTCFullYear();
  const ageAtRef = (ref - birthTime) / MS_PER_YEAR;
  const body = createBody(rng.fork('body'), sex, birthYear);
  const smoking = sampleSmokingHistory(rng.fork('smoking'), sex, birthYear, ageAtRef);
  const latent = planOnsets(conditionModules(), { body, sex, smoking, ageAtEnd: ageAtRef }, (k) => rng.fork('condition', k));
  const planned = planExacerbations(latent, birthTime, ageAtRef, (k) => rng.fork('acute-care', k));
  const draw = sampleDeath(rng.fork('mortality'), sex, latent, planned, birthTime, ageAtRef);
  const death =
    draw === undefined
      ? undefined
      : { ...draw, time: draw.episode?.discharge ?? Math.round((birthTime + draw.age * MS_PER_YEAR) / MS_PER_MINUTE) * MS_PER_MINUTE };
  const end = death?.time ?? ref;
  const ageAtEnd = (end - birthTime) / MS_PER_YEAR;
  // A terminal admission (death in hospital from a chronic condition) joins the planned episodes.
  const terminal = death?.episode;
  const stays =
    terminal === undefined || planned.includes(terminal) ? planned : [...planned.filter((e) => e.arrive < terminal.arrive), terminal];
  return { sex, birthTime, body, smoking, courses: latent.map((c) => truncateCourse(c, ageAtEnd)), stays, death, end, ageAtEnd };
}

/** The acute episodes (infections, injuries) of the life, planned from their own keyed streams. */
function planAcuteCare(acuteRng: Rng, life: Life): PlannedEpisode[] {
  const { birthTime, end, sex } = life;
  const latentOnset = new Map(life.courses.map((c) => [c.module.key, c.onsetAge]));
  return planEpisodes(acuteModules(), { birthTime, end, sex, onsetAgeOf: (k) => latentOnset.get(k) }, (k) => acuteRng.fork('plan', k));
}

/** Acute episodes as charted: their own encounters, diagnoses, procedures and courses. */
function chartAcuteCare(
  acuteRng: Rng,
  planned: readonly PlannedEpisode[],
  life: Life,
  allergyPlan: readonly PlannedAllergy[],
  care: PrimaryCare,
  directory: Pick<StateDirectory, 'hospitals'>,
  providers: ProviderSetBuilder,
  ids: IdAllocator,
  zone: string,
  occupied: (start: Instant, stop: Instant) => boolean,
  bpShiftAt: (time: Instant) => { systolic: number; diastolic: number },
): StepFragment<'episodes'> {
  const { birthTime, end, body } = life;
  return chartEpisodes(
    planned,
    {
      birthTime,
      zone,
      end,
      died: life.death !== undefined,
      allergies: knownAllergies(allergyPlan),
      body,
      clinic: care.clinic,
      practitionerAt: care.practitionerAt,
      hospital: acuteRng.fork('hospital').pick(directory.hospitals),
      use: (site, practitioner) => providers.add(site, practitioner),
      occupied,
      bpShiftAt,
    },
    ids,
    acuteRng.fork('chart'),
  );
}

/** The cause-of-death observation, at the fatal admission when the death happened in hospital. */
function chartDeath(death: Life['death'], at: Encounter | undefined, ids: IdAllocator): Death | undefined {
  if (death === undefined) return undefined;
  return { id: ids.next(), time: death.time, cause: death.cause, encounterId: at?.id, practitionerId: at?.practitionerId };
}

/**
 * Her diabetes at a time, as a prenatal glucose challenge meets it: known once the chart has
 * diagnosed it, hidden from its latent onset until then, undefined without any.
 */
function diabetesOnChart(courses: readonly LatentCourse[], conditions: readonly ConditionEntry[] | undefined, birthTime: Instant): (t: Instant) => 'known' | 'hidden' | undefined {
  const onsets = courses.filter((c) => diabetesKeys().has(c.module.key) && c.onsetAge !== undefined).map((c) => birthTime + c.onsetAge! * MS_PER_YEAR);
  const diagnosed = (conditions ?? []).filter((c) => diabetesKeys().has(c.key)).map((c) => c.recorded);
  const onset = Math.min(...onsets);
  const known = Math.min(...diagnosed);
  return (t) => (t >= known ? 'known' : t >= onset ? 'hidden' : undefined);
}

/** The planned allergies as the order checks see them. */
function knownAllergies(plan: readonly PlannedAllergy[]): KnownAllergy[] {
  return plan.map((a) => ({ code: a.kind.code.code, onset: a.onset, resolved: a.resolved }));
}

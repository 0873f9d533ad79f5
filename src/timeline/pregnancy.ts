/**
 * Pregnancy and childbirth: conceptions drawn month by month from age-specific fertility, each
 * pregnancy followed through prenatal visits (with status, tests and labs) to a miscarriage or a
 * hospital delivery, vaginal or cesarean. The baby is not modelled as a patient.
 */
import { birthRateAt, cesareanShareIn, loadPregnancy, prenatalIntervalWeeks, pretermWeekAt, type PregnancyKnowledge } from '../knowledge/pregnancy.js';
import { loadNewborn, medianBirthWeight, plausibleBirthWeight, type NewbornKnowledge } from '../knowledge/newborn.js';
import { interpolate } from '../knowledge/schemas.js';
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, MS_PER_YEAR, type Instant } from '../core/time.js';
import type {
  BloodPressure,
  ConditionEntry,
  DeliveryEntry,
  Encounter,
  EncounterId,
  LabReport,
  LabResult,
  Practitioner,
  PregnancyStatusObservation,
  PrenatalExamObservation,
  ProcedureEntry,
  VitalSign,
} from '../record/types.js';
import { measure, type Body } from './body.js';
import { IdAllocator } from './ids.js';
import { childKey, type Rng } from '../core/random.js';
import type { ProviderSetBuilder } from './provider-set.js';
import { ambulatoryEncounter } from './site-encounter.js';
import { specialistRole, type Site } from './providers.js';
import type { StepFragment } from './fragment.js';
import { clinicSlot } from './visits.js';
import { loadLabs } from '../knowledge/labs.js';
import { drawLabValue, drawLinkedCbc, labResult, type LabSubject } from './lab-draw.js';

/** A prenatal result is reported against the pregnancy interval where its lab has one. */
const PREGNANT: LabSubject = { sex: 'female', pregnant: true };

const WEEKS_PER_YEAR = 365.2425 / 7;
const MS_PER_WEEK = 7 * MS_PER_DAY;

/** One pregnancy as planned, in the mother's ages and gestational weeks (from the last period). */
export interface PlannedPregnancy {
  /** Age at the start of gestation (week 0, the last menstrual period). */
  readonly startAge: number;
  readonly outcome: 'birth' | 'miscarriage';
  /** Gestational week of the delivery or the loss. */
  readonly endWeek: number;
  readonly firstVisitWeek: number;
  readonly cesarean: boolean;
  readonly gestationalDiabetes: boolean;
  /** Gestational week pre-eclampsia begins, when it does. */
  readonly preeclampsiaWeek: number | undefined;
}

/**
 * Annual hazard of a pregnancy that reaches care, while she can conceive. Births by age are per
 * woman-year, but a woman who is pregnant or just delivered cannot conceive, so the hazard over the
 * time she can is higher by the share of time those intervals take.
 */
export function conceptionHazard(k: PregnancyKnowledge, age: number): number {
  const gestationYears = k.birth.termWeeks.mean / WEEKS_PER_YEAR;
  const births = birthRateAt(k, age + gestationYears);
  if (births === 0) return 0;
  const loss = interpolate(k.miscarriageShareByAge, age);
  const pregnancies = births / (1 - loss);
  const blockedByBirth = gestationYears + k.spacingMonths.afterBirth / 12;
  const blockedByLoss = k.miscarriageWeek.max / WEEKS_PER_YEAR + k.spacingMonths.afterMiscarriage / 12;
  const free = 1 - births * blockedByBirth - (pregnancies - births) * blockedByLoss;
  return pregnancies / Math.max(0.3, free);
}

/**
 * Plans a woman's pregnancies up to `untilAge`, never overlapping and spaced after each ends.
 * @param birthYear her birth as a fractional calendar year (the cesarean share depends on the year of each birth).
 */
export function planPregnancies(
  rng: Rng,
  untilAge: number,
  isObeseAt: (age: number) => boolean,
  birthYear: number,
  k: PregnancyKnowledge = loadPregnancy(),
): PlannedPregnancy[] {
  const out: PlannedPregnancy[] = [];
  const step = 1 / 12;
  const last = Math.min(k.lastConceptionAge, untilAge);
  let age = k.menarcheAge;
  while (age < last) {
    const p = 1 - Math.exp(-conceptionHazard(k, age) * step);
    if (!rng.chance(p)) {
      age += step;
      continue;
    }
    const startAge = age + rng.next() * step;
    const firstVisitWeek = rng.uniform(k.firstVisitWeek.min, k.firstVisitWeek.max);
    const miscarriage = rng.chance(interpolate(k.miscarriageShareByAge, startAge));
    let endWeek: number;
    let cesarean = false;
    let gestationalDiabetes = false;
    let preeclampsiaWeek: number | undefined;
    if (miscarriage) {
      endWeek = rng.uniform(Math.max(firstVisitWeek + 1, k.miscarriageWeek.min), k.miscarriageWeek.max);
    } else {
      const b = k.birth;
      endWeek = rng.chance(b.pretermShare)
        ? pretermWeekAt(k, rng.next())
        : rng.clampedNormal(b.termWeeks.mean, b.termWeeks.sd, b.termWeeks.min, b.termWeeks.max);
      const obese = isObeseAt(startAge);
      const g = k.gestationalDiabetes;
      gestationalDiabetes = rng.chance(g.share * (obese ? g.obeseMultiplier : 1));
      const pe = k.preeclampsia;
      if (endWeek > pe.fromWeek + 1 && rng.chance(pe.share * (obese ? pe.obeseMultiplier : 1))) preeclampsiaWeek = rng.uniform(pe.fromWeek, endWeek - 1);
      // The share of the year she gives birth: about 5% in 1970, a third since 2009.
      const share = cesareanShareIn(k, birthYear + startAge + endWeek / WEEKS_PER_YEAR);
      cesarean = rng.chance(preeclampsiaWeek === undefined ? share : Math.max(share, pe.cesareanShare));
    }
    out.push({ startAge, outcome: miscarriage ? 'miscarriage' : 'birth', endWeek, firstVisitWeek, cesarean, gestationalDiabetes, preeclampsiaWeek });
    const spacing = miscarriage ? k.spacingMonths.afterMiscarriage : k.spacingMonths.afterBirth;
    age = startAge + endWeek / WEEKS_PER_YEAR + spacing / 12;
  }
  return out;
}

/** When she is admitted to deliver: the hour labour begins (or the planned cesarean), at the pregnancy's last week. */
function deliveryAdmission(p: PlannedPregnancy, birthTime: Instant): Instant {
  const endAt = birthTime + p.startAge * MS_PER_YEAR + p.endWeek * MS_PER_WEEK;
  return Math.floor(endAt / MS_PER_HOUR) * MS_PER_HOUR;
}

/**
 * The span each planned birth keeps her in hospital, admission to the longest stay of its delivery
 * method ([arrival, latest discharge]). Known from the plan alone, so the clinic visits and specialist
 * appointments, charted before the pregnancies, can be kept out of the delivery stay. A birth later
 * left out of the chart (past the record's end) still holds its span.
 */
export function plannedDeliveries(plan: readonly PlannedPregnancy[], birthTime: Instant, k: PregnancyKnowledge = loadPregnancy()): [Instant, Instant][] {
  return plan
    .filter((p) => p.outcome === 'birth')
    .map((p) => {
      const admit = deliveryAdmission(p, birthTime);
      const stay = p.cesarean ? k.birth.stayDays.cesarean : k.birth.stayDays.vaginal;
      return [admit, admit + Math.ceil(stay.max * 24) * MS_PER_HOUR];
    });
}

/** Where and by whom the pregnancy is cared for, and where the record's items go. */
export interface PregnancyContext {
  readonly rng: Rng;
  readonly ids: IdAllocator;
  readonly birthTime: Instant;
  /** End of the record (reference date or death): nothing happens after it. */
  readonly end: Instant;
  readonly clinic: Site;
  readonly practitionerAt: (age: number) => Practitioner;
  readonly hospitals: readonly Site[];
  readonly providers: ProviderSetBuilder;
  /** Her body, for the weight and blood pressure taken at prenatal visits. */
  readonly body: Body;
  /** Whether she already has a clinic visit (or a hospital stay) on the day of `t`: a prenatal visit goes to another day. */
  readonly busyDay?: (t: Instant) => boolean;
  /** The clinic's time zone (clinic hours are local). */
  readonly zone: string;
  /**
   * Her diabetes at `t`: known (diagnosed on the chart: not screened, never gestational), hidden
   * (begun but not yet diagnosed: the glucose challenge reads high and charts gestational diabetes),
   * or undefined (none).
   */
  readonly diabetesAt?: (t: Instant) => 'known' | 'hidden' | undefined;
}

/**
 * The clinic slot nearest after `day` on a day she has nothing else booked (a week on at most); the
 * day is then taken. Shared by the prenatal and postpartum visits.
 */
export function freeSlot(ctx: Pick<PregnancyContext, 'rng' | 'zone' | 'busyDay'>, day: Instant, taken: Set<number>): { start: Instant; end: Instant } {
  const busy = (t: Instant): boolean => taken.has(Math.floor(t / MS_PER_DAY)) || ctx.busyDay?.(t) === true;
  let slot = clinicSlot(ctx.rng, day, ctx.zone);
  for (let n = 0; n < 7 && busy(slot.start); n++) slot = clinicSlot(ctx.rng, slot.start + MS_PER_DAY, ctx.zone);
  taken.add(Math.floor(slot.start / MS_PER_DAY));
  return slot;
}

/** The record items of a woman's pregnancies, as they are charted. */
interface PregnancyRecords {
  readonly encounters: Encounter[];
  readonly conditions: ConditionEntry[];
  readonly procedures: ProcedureEntry[];
  readonly labReports: LabReport[];
  readonly pregnancyStatuses: PregnancyStatusObservation[];
  readonly prenatalExams: PrenatalExamObservation[];
  readonly vitals: VitalSign[];
  readonly bloodPressures: BloodPressure[];
  readonly deliveries: DeliveryEntry[];
}

type ConditionDraft = { -readonly [K in keyof ConditionEntry]: ConditionEntry[K] };

function roundTo(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}

/**
 * What the prenatal exam measures at a visit `days` days from the last menstrual period: the fundal
 * height from {@link PregnancyKnowledge.prenatalExam}'s week (about the completed weeks in cm, within
 * the spread) and the fetal heart rate (around its mean, kept in the normal range), each drawn from
 * `rng` only when measured.
 */
export function drawPrenatalExam(rng: Rng, days: number, at: Instant, k: PregnancyKnowledge = loadPregnancy()): { fundalHeightCm?: number; fetalHeartRate?: number } {
  const exam = k.prenatalExam;
  const weeks = days / 7;
  const out: { fundalHeightCm?: number; fetalHeartRate?: number } = {};
  if (weeks >= exam.fundalHeightFromWeek) out.fundalHeightCm = Math.round(Math.floor(weeks) + (rng.next() * 2 - 1) * exam.fundalHeightSpreadCm);
  if (weeks >= fetalHeartFromWeek(k, at)) {
    const r = exam.fetalHeartRate;
    out.fetalHeartRate = Math.round(rng.clampedNormal(r.mean, r.sd, r.min, r.max));
  }
  return out;
}

/** The gestational week from which a prenatal visit on `at` hears the fetal heart: the fetoscope's 20, or Doppler's 12 from its era (pregnancy.yaml `fetalHeartFrom`). */
export function fetalHeartFromWeek(k: PregnancyKnowledge, at: Instant): number {
  const eras = k.prenatalExam.fetalHeartFrom;
  return (eras.findLast((e) => Date.parse(`${e.from}T00:00:00Z`) <= at) ?? eras[0]!).week;
}

/**
 * Who gives her prenatal and postpartum care at an age: her own doctor when that doctor's role gives
 * obstetric care (pregnancy.yaml `prenatalCare`: family physicians), else the clinic's first physician
 * whose role does (never an internist or a pediatrician), else her own doctor.
 */
export function prenatalClinicianAt(clinic: Site, practitionerAt: (age: number) => Practitioner, k: PregnancyKnowledge = loadPregnancy()): (age: number) => Practitioner {
  const roles: readonly string[] = k.prenatalCare.roles;
  const obstetric = clinic.staff.find((s) => roles.includes(s.role));
  return (age) => {
    const own = practitionerAt(age);
    const post = clinic.staff.find((s) => s.id === own.id);
    return post !== undefined && roles.includes(post.role) ? own : (obstetric ?? own);
  };
}

/** Gestational weeks of the prenatal visits: the first, then the schedule's cadence until the end. */
export function visitWeeks(k: PregnancyKnowledge, first: number, endWeek: number): number[] {
  const weeks = [first];
  let w = first;
  for (;;) {
    w += prenatalIntervalWeeks(w, k);
    if (w >= endWeek - 0.5) return weeks;
    weeks.push(w);
  }
}

/** What the chart records of a newborn born after `gestationalAgeDays` days of gestation. */
export interface NewbornDraw {
  readonly gestationalAgeDays: number;
  readonly infantSex: 'male' | 'female';
  readonly birthWeightGrams: number;
  readonly apgar1: number;
  readonly apgar5: number;
}

/**
 * Sex from the sex ratio at birth, weight around the median for sex and week (clamped to the
 * plausible range), the five-minute Apgar score by term or preterm, the one-minute score a few
 * points below it.
 */
export function drawNewborn(rng: Rng, gestationalAgeDays: number, k: NewbornKnowledge = loadNewborn()): NewbornDraw {
  const weeks = gestationalAgeDays / 7;
  const infantSex = rng.chance(k.maleShare) ? 'male' : 'female';
  const median = medianBirthWeight(k, infantSex, weeks);
  const bounds = plausibleBirthWeight(k, infantSex, weeks);
  const grams = rng.normal(median, median * interpolate(k.weightCv, weeks));
  const birthWeightGrams = Math.round(Math.min(bounds.max, Math.max(bounds.min, grams)));
  const group = weeks < 37 ? 'preterm' : 'term';
  const apgar5 = rng.weightedIndex(k.apgar5[group]);
  const apgar1 = Math.max(0, apgar5 - rng.weightedIndex(k.apgar1Drop[group]));
  return { gestationalAgeDays, infantSex, birthWeightGrams, apgar1, apgar5 };
}

/** Turns planned pregnancies into encounters, conditions, procedures, labs and status observations. */
export function pregnancyRecords(
  plan: readonly PlannedPregnancy[],
  ctx: PregnancyContext,
  k: PregnancyKnowledge = loadPregnancy(),
): StepFragment<'pregnancy'> {
  const out: PregnancyRecords = { encounters: [], conditions: [], procedures: [], labReports: [], pregnancyStatuses: [], prenatalExams: [], vitals: [], bloodPressures: [], deliveries: [] };
  const { rng, ids, birthTime, end, clinic } = ctx;
  const codes = k.codes;
  const ageAt = (t: Instant): number => (t - birthTime) / MS_PER_YEAR;
  const taken = new Set<number>();
  for (const [index, p] of plan.entries()) {
    const start = birthTime + p.startAge * MS_PER_YEAR;
    const atWeek = (w: number): Instant => start + w * MS_PER_WEEK;
    const weeks = visitWeeks(k, p.firstVisitWeek, p.endWeek);
    let pregnancy: ConditionDraft | undefined;
    let gdm: ConditionDraft | undefined;
    let preeclampsia: ConditionDraft | undefined;
    let glucoseDone = false;
    let ongoing = false;
    // The exam's measurements from their own stream and ids, so charting them moves no other draw or id.
    const examRng = rng.fork('prenatal-exam', index);
    const examIds = new IdAllocator(childKey(examRng.key, 'ids'));
    for (let i = 0; i < weeks.length; i++) {
      const w = weeks[i]!;
      const slot = freeSlot(ctx, atWeek(w), taken);
      if (slot.end > end) {
        ongoing = true;
        break;
      }
      const practitioner = ctx.practitionerAt(ageAt(slot.start));
      ctx.providers.add(clinic, practitioner);
      const encounterId = ids.next<EncounterId>();
      if (pregnancy === undefined) {
        pregnancy = {
          id: ids.next(),
          key: 'pregnancy',
          code: codes.pregnancy,
          category: 'problem-list-item',
          onset: atWeek(2),
          recorded: slot.start + 10 * MS_PER_MINUTE,
          encounterId,
          practitionerId: practitioner.id,
          clinicalStatus: 'active',
          abatement: undefined,
        };
        out.conditions.push(pregnancy);
      }
      const encounter = ambulatoryEncounter(encounterId, i === 0 ? codes.initialVisit : codes.prenatalVisit, slot, clinic, practitioner, pregnancy.id);
      out.encounters.push(encounter);
      const vitalsAt = slot.start + 5 * MS_PER_MINUTE;
      out.pregnancyStatuses.push({ id: ids.next(), encounterId, time: vitalsAt, value: codes.pregnant });
      // Weight with the pregnancy's gain, and blood pressure (high once pre-eclampsia has begun).
      const reading = measure(ctx.body, ageAt(slot.start), rng);
      const gain = w <= 13 ? (w / 13) * 1.5 : 1.5 + (w - 13) * 0.45;
      out.vitals.push({ id: ids.next(), kind: 'bodyWeight', encounterId, time: vitalsAt, value: roundTo(reading.weightKg + gain, 1) });
      if (reading.systolic !== undefined && reading.diastolic !== undefined) {
        const high = p.preeclampsiaWeek !== undefined && w >= p.preeclampsiaWeek;
        out.bloodPressures.push({
          id: ids.next(),
          encounterId,
          time: vitalsAt,
          systolic: high ? Math.max(reading.systolic, Math.round(rng.normal(148, 6))) : reading.systolic,
          diastolic: high ? Math.max(reading.diastolic, Math.round(rng.normal(95, 4))) : reading.diastolic,
        });
      }
      // Measured at the actual visit's gestational age (completed days from the last period), as the notes date it.
      const exam = drawPrenatalExam(examRng, Math.floor((slot.start - start) / MS_PER_DAY), slot.start, k);
      const examAt = slot.start + 10 * MS_PER_MINUTE;
      const examEntry = (kind: PrenatalExamObservation['kind'], value: number): PrenatalExamObservation => ({ id: examIds.next(), kind, encounterId, practitionerId: practitioner.id, time: examAt, value });
      if (exam.fundalHeightCm !== undefined) out.prenatalExams.push(examEntry('fundalHeight', exam.fundalHeightCm));
      if (exam.fetalHeartRate !== undefined) out.prenatalExams.push(examEntry('fetalHeartRate', exam.fetalHeartRate));
      const labTime = slot.start + 15 * MS_PER_MINUTE;
      if (i === 0) {
        for (const test of k.initialTests) {
          out.procedures.push({
            id: ids.next(),
            code: test,
            encounterId,
            practitionerId: practitioner.id,
            start: labTime,
            end: labTime,
            reasonConditionId: pregnancy.id,
          });
        }
        const cbc = k.labs.cbc;
        // The hematocrit follows the hemoglobin, at the ratio the delivery ward's CBC keeps too.
        const values = drawLinkedCbc(cbc.results, rng, k.deliveryWard.hematocritSd);
        const results: LabResult[] = cbc.results.map((r, i) => labResult(r.lab, values[i]!, ids, PREGNANT));
        out.labReports.push({ id: ids.next(), code: loadLabs().panels[cbc.panel].code, encounterId, practitionerId: practitioner.id, time: labTime, results });
      }
      if (preeclampsia === undefined && p.preeclampsiaWeek !== undefined && w >= p.preeclampsiaWeek) {
        preeclampsia = {
          id: ids.next(),
          key: 'preeclampsia',
          code: codes.preeclampsia,
          category: 'problem-list-item',
          onset: Math.min(atWeek(p.preeclampsiaWeek), labTime),
          recorded: labTime,
          encounterId,
          practitionerId: practitioner.id,
          clinicalStatus: 'active',
          abatement: undefined,
        };
        out.conditions.push(preeclampsia);
      }
      const g = k.gestationalDiabetes.glucoseChallengeWeek;
      if (!glucoseDone && p.outcome === 'birth' && w >= g.min && w <= g.max + 2) {
        glucoseDone = true;
        const gc = k.labs.glucoseChallenge;
        const diabetes = ctx.diabetesAt?.(labTime);
        // Hidden diabetes raises the glucose as gestational diabetes does, and is charted as it (one draw either way).
        const gestational = diabetes === 'hidden' || (p.gestationalDiabetes && diabetes === undefined);
        const value = drawLabValue(gc, rng, gestational ? 'diabetic' : undefined);
        // Known diabetes is not screened for (ACOG PB 190: the challenge screens women without it).
        if (diabetes !== 'known') {
          const id = ids.next();
          const result = labResult(gc.lab, value, ids, PREGNANT);
          out.labReports.push({ id, code: result.code, encounterId, practitionerId: practitioner.id, time: labTime, results: [result] });
          if (gestational) {
            gdm = {
              id: ids.next(),
              key: 'gestational-diabetes',
              code: codes.gestationalDiabetes,
              category: 'problem-list-item',
              onset: labTime,
              recorded: labTime,
              encounterId,
              practitionerId: practitioner.id,
              clinicalStatus: 'active',
              abatement: undefined,
            };
            out.conditions.push(gdm);
          }
        }
      }
    }
    if (pregnancy === undefined || ongoing) {
      if (pregnancy === undefined && atWeek(p.firstVisitWeek) > end) break;
      continue;
    }
    const endAt = atWeek(p.endWeek);
    if (p.outcome === 'miscarriage') {
      const slot = freeSlot(ctx, endAt + rng.int(0, 2) * MS_PER_DAY, taken);
      if (slot.end > end) continue;
      const practitioner = ctx.practitionerAt(ageAt(slot.start));
      ctx.providers.add(clinic, practitioner);
      const encounterId = ids.next<EncounterId>();
      const resolvedAt = slot.start + 14 * MS_PER_DAY;
      out.encounters.push(ambulatoryEncounter(encounterId, codes.prenatalVisit, slot, clinic, practitioner, pregnancy.id));
      out.conditions.push({
        id: ids.next(),
        key: 'miscarriage',
        code: p.endWeek < k.secondTrimesterFromWeek ? codes.miscarriageFirstTrimester : codes.miscarriageSecondTrimester,
        category: 'encounter-diagnosis',
        onset: Math.min(endAt, slot.start),
        recorded: slot.start + 10 * MS_PER_MINUTE,
        encounterId,
        practitionerId: practitioner.id,
        clinicalStatus: resolvedAt <= end ? 'resolved' : 'active',
        abatement: resolvedAt <= end ? resolvedAt : undefined,
      });
      pregnancy.clinicalStatus = 'resolved';
      pregnancy.abatement = Math.min(endAt, slot.start);
      continue;
    }
    // Delivery: admitted at the hospital in labour (or for a planned cesarean), home after the stay.
    const hospital = rng.pick(ctx.hospitals);
    const attending = rng.pick(hospital.staff.filter((s) => s.role === specialistRole(k.birth.attendingSpecialty)));
    const admit = deliveryAdmission(p, birthTime);
    const stay = p.cesarean ? k.birth.stayDays.cesarean : k.birth.stayDays.vaginal;
    const discharge = admit + Math.round(rng.uniform(stay.min, stay.max) * 24) * MS_PER_HOUR;
    if (discharge > end) continue;
    ctx.providers.add(hospital, attending);
    const encounterId = ids.next<EncounterId>();
    const deliveredAt = admit + rng.int(2, 14) * MS_PER_HOUR;
    out.encounters.push({
      id: encounterId,
      class: 'IMP',
      type: codes.deliveryAdmission,
      start: admit,
      end: discharge,
      practitionerId: attending.id,
      organizationId: hospital.organization.id,
      locationId: hospital.location.id,
      reason: undefined,
      dischargeDisposition: codes.dischargeHome,
      reasonConditionId: pregnancy.id,
    });
    const procedureId = ids.next();
    out.procedures.push({
      id: procedureId,
      code: p.cesarean ? codes.cesarean : codes.vaginalDelivery,
      encounterId,
      practitionerId: attending.id,
      start: deliveredAt,
      end: deliveredAt + (p.cesarean ? 60 : 30) * MS_PER_MINUTE,
      reasonConditionId: pregnancy.id,
    });
    out.conditions.push({
      id: ids.next(),
      key: 'live-birth',
      code: codes.liveBirth,
      category: 'encounter-diagnosis',
      onset: deliveredAt,
      recorded: deliveredAt + 30 * MS_PER_MINUTE,
      encounterId,
      practitionerId: attending.id,
      clinicalStatus: 'resolved',
      abatement: discharge,
    });
    // The newborn from its own stream and ids, so charting it moves no other draw or id.
    const draws = rng.fork('newborn', index);
    const birthIds = new IdAllocator(childKey(draws.key, 'ids'));
    out.deliveries.push({
      encounterId,
      procedureId,
      practitionerId: attending.id,
      time: deliveredAt,
      method: p.cesarean ? 'cesarean' : 'vaginal',
      ...drawNewborn(draws, Math.floor((deliveredAt - start) / MS_PER_DAY)),
      observationIds: { gestationalAge: birthIds.next(), birthWeight: birthIds.next(), apgar1: birthIds.next(), apgar5: birthIds.next(), sex: birthIds.next() },
    });
    pregnancy.clinicalStatus = 'resolved';
    pregnancy.abatement = deliveredAt;
    for (const complication of [gdm, preeclampsia]) {
      if (complication === undefined) continue;
      complication.clinicalStatus = 'resolved';
      complication.abatement = deliveredAt;
    }
  }
  return out;
}

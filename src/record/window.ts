/**
 * The record window: the stretch of a simulated life that a chart holds. The engine simulates the
 * whole life; an EHR extract holds the recent years and carries the past as history, the way
 * Synthea's exporter keeps `exporter.years_of_history` (10) and what is still active from before.
 * Here the past is carried into the window's first encounter, the visit where a clinician would
 * take it down, and no resource points at an encounter outside the window:
 *
 * - the problem list: every chronic problem (active, or resolved as past history) and every
 *   episode still active at the window's start, with its onset and abatement, recorded at that visit;
 * - past surgical history (the procedures the rules name), dated when it was done, with no encounter;
 * - the immunization history, as reported doses with the dates they were given;
 * - orders still running at the window's start, with the date they were written;
 * - allergies, and care plans and goals still open.
 *
 * Encounters before the window go, and with them their vitals, labs, smoking and pregnancy
 * statuses, ended episodes and finished orders. Pure: the same record and window give the same chart.
 */
import type { Instant } from '../core/time.js';
import type {
  Allergy,
  CarePlanEntry,
  CarriedHistory,
  ConditionEntry,
  Encounter,
  EncounterId,
  GoalEntry,
  Immunization,
  MedicationOrder,
  PatientRecord,
  ProcedureEntry,
  ProviderSet,
} from './types.js';

/** Which stretch of a life a chart holds: all of it, the last N years, or from a date on. */
export type RecordWindow =
  | { readonly kind: 'all' }
  | { readonly kind: 'years'; readonly years: number }
  | { readonly kind: 'since'; readonly since: Instant };

/** What decides which items from before the window are carried (from the knowledge). */
export interface WindowRules {
  /** Codes of the procedures carried as past surgical history. */
  readonly surgicalHistory: ReadonlySet<string>;
}

/**
 * The first instant a chart ending at `end` holds, or undefined for the whole life. Years count
 * back on the calendar (the same day N years earlier), so a 10-year window always spans ten birthdays.
 */
export function windowStart(window: RecordWindow, end: Instant): Instant | undefined {
  switch (window.kind) {
    case 'all':
      return undefined;
    case 'since':
      return window.since;
    case 'years': {
      const d = new Date(end);
      d.setUTCFullYear(d.getUTCFullYear() - window.years);
      return d.getTime();
    }
  }
}

/**
 * The chart of `record` inside `window`, which ends at death or at `referenceTime`. A window that
 * holds no encounter is widened back to the patient's latest one, so that a chart always holds the
 * most recent visit and the history taken there.
 */
export function windowRecord(record: PatientRecord, window: RecordWindow, rules: WindowRules, referenceTime: Instant): PatientRecord {
  const requested = windowStart(window, record.death?.time ?? referenceTime);
  if (requested === undefined || record.encounters.length === 0) return record;
  const encounters = [...record.encounters].sort((a, b) => a.start - b.start);
  const latest = encounters[encounters.length - 1]!;
  const from = Math.min(requested, latest.start);
  const kept = encounters.filter((e) => e.start >= from);
  if (kept.length === encounters.length) return record;
  const intake = kept[0]!;
  const inWindow = new Set(kept.map((e) => e.id));
  const here = (encounterId: string | undefined): boolean => encounterId !== undefined && inWindow.has(encounterId as EncounterId);
  const history: CarriedHistory = { recorded: intake.start, practitionerId: intake.practitionerId };
  const runningAtStart = (end: Instant | undefined): boolean => end === undefined || end > from;

  const medications: MedicationOrder[] = [];
  for (const m of record.medications) {
    if (here(m.encounterId)) medications.push(m);
    else if (runningAtStart(m.end)) medications.push({ ...m, encounterId: undefined });
  }
  const carePlans = record.carePlans.filter((p) => here(p.encounterId) || runningAtStart(p.end)).map((p) => anchor(p, intake, inWindow));
  const planGoals = new Set(carePlans.flatMap((p) => p.goalIds));
  const goals = record.goals.filter((g) => here(g.encounterId) || planGoals.has(g.id) || g.lifecycleStatus === 'active').map((g) => anchor(g, intake, inWindow));
  const goalIds = new Set(goals.map((g) => g.id));
  const procedures: ProcedureEntry[] = [];
  const carriedProcedures: ProcedureEntry[] = [];
  for (const p of record.procedures) {
    if (here(p.encounterId)) procedures.push(p);
    else if (rules.surgicalHistory.has(p.code.code)) carriedProcedures.push({ ...p, encounterId: undefined, history });
  }

  // Conditions the kept items name stay on the chart whatever their status.
  const named = new Set<string>();
  for (const e of kept) if (e.reasonConditionId !== undefined) named.add(e.reasonConditionId);
  for (const m of medications) named.add(m.conditionId);
  for (const p of procedures) if (p.reasonConditionId !== undefined) named.add(p.reasonConditionId);
  for (const p of carePlans) named.add(p.conditionId);
  for (const g of goals) named.add(g.conditionId);
  const conditions: ConditionEntry[] = [];
  for (const c of record.conditions) {
    if (here(c.encounterId)) conditions.push(c);
    else if (c.category === 'problem-list-item' || runningAtStart(c.abatement) || named.has(c.id)) {
      conditions.push({ ...c, encounterId: intake.id, recorded: intake.start, practitionerId: intake.practitionerId, carried: true });
    }
  }
  const conditionIds = new Set(conditions.map((c) => c.id));
  // An operation's old indication (the appendicitis of 1995) is not carried; the operation is.
  for (const p of carriedProcedures) {
    procedures.push(p.reasonConditionId === undefined || conditionIds.has(p.reasonConditionId) ? p : { ...p, reasonConditionId: undefined });
  }

  const immunizations: Immunization[] = record.immunizations.map((i) => (here(i.encounterId) ? i : { ...i, encounterId: undefined, history }));
  const allergies: Allergy[] = record.allergies.map((a) =>
    here(a.encounterId) ? a : { ...a, encounterId: intake.id, recorded: intake.start, practitionerId: intake.practitionerId },
  );
  const died = record.death;
  const death = died === undefined || died.encounterId === undefined || here(died.encounterId) ? died : { ...died, encounterId: undefined, practitionerId: undefined };

  const windowed: PatientRecord = {
    ...record,
    encounters: record.encounters.filter((e) => inWindow.has(e.id)),
    vitals: record.vitals.filter((v) => inWindow.has(v.encounterId)),
    bloodPressures: record.bloodPressures.filter((b) => inWindow.has(b.encounterId)),
    smoking: record.smoking.filter((s) => inWindow.has(s.encounterId)),
    immunizations,
    allergies,
    conditions,
    medications,
    labReports: record.labReports.filter((r) => inWindow.has(r.encounterId)),
    procedures,
    carePlans: carePlans.map((p) => (p.goalIds.every((id) => goalIds.has(id)) ? p : { ...p, goalIds: p.goalIds.filter((id) => goalIds.has(id)) })),
    goals,
    pregnancyStatuses: record.pregnancyStatuses.filter((s) => inWindow.has(s.encounterId)),
    prenatalExams: record.prenatalExams.filter((s) => inWindow.has(s.encounterId)),
    screeningScores: record.screeningScores.filter((s) => inWindow.has(s.encounterId)),
    deliveries: record.deliveries.filter((d) => inWindow.has(d.encounterId)),
    ...(death === undefined ? {} : { death }),
  };
  return { ...windowed, providers: referencedProviders(windowed) };
}

/** A care plan or goal set before the window, re-entered at its first encounter (dates kept). */
function anchor<T extends CarePlanEntry | GoalEntry>(item: T, intake: Encounter, inWindow: ReadonlySet<string>): T {
  return inWindow.has(item.encounterId) ? item : { ...item, encounterId: intake.id, practitionerId: intake.practitionerId };
}

/** The providers a windowed chart still points at, in the record's order (clinicians of dropped visits go). */
function referencedProviders(record: PatientRecord): ProviderSet {
  const practitioners = new Set<string>([record.primaryCare.practitionerId]);
  const organizations = new Set<string>([record.primaryCare.organizationId]);
  const locations = new Set<string>([record.primaryCare.locationId]);
  for (const e of record.encounters) {
    practitioners.add(e.practitionerId);
    if (e.referrerId !== undefined) practitioners.add(e.referrerId);
    organizations.add(e.organizationId);
    locations.add(e.locationId);
  }
  const items: { readonly practitionerId?: string | undefined }[] = [
    ...record.conditions,
    ...record.medications,
    ...record.allergies,
    ...record.labReports,
    ...record.carePlans,
    ...record.goals,
    ...(record.death === undefined ? [] : [record.death]),
  ];
  for (const item of items) if (item.practitionerId !== undefined) practitioners.add(item.practitionerId);
  for (const p of record.procedures) practitioners.add(p.history?.practitionerId ?? p.practitionerId);
  for (const i of record.immunizations) if (i.history !== undefined) practitioners.add(i.history.practitionerId);
  const locationList = record.providers.locations.filter((l) => locations.has(l.id));
  for (const l of locationList) organizations.add(l.organizationId);
  return {
    organizations: record.providers.organizations.filter((o) => organizations.has(o.id)),
    locations: locationList,
    practitioners: record.providers.practitioners.filter((p) => practitioners.has(p.id)),
  };
}

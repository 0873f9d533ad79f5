/**
 * The clinical part of a fact sheet, as of one encounter: the problems known by then (active ones,
 * and resolved ones as history), the encounter's own diagnosis, the medications being taken, the
 * latest result of each lab test within a year, and the procedures done (at this encounter and
 * before). Generic over the record types, so every module that writes conditions, orders, lab
 * reports or procedures reaches the notes without code here.
 */
import { clinicNames } from '../knowledge/specialist-notes.js';
import { instantToDate, MS_PER_DAY, MS_PER_HOUR, MS_PER_YEAR } from '../core/time.js';
import type { ConditionEntry, Encounter, LabReport, LabResult, MedicationOrder, PatientRecord, ProcedureEntry } from '../record/types.js';
import { drugName } from './drug-names.js';
import { loadDosing } from '../knowledge/dosing.js';
import { loadHospitalCare } from '../knowledge/hospital-care.js';
import type { Fact, FactStatus, NoteType } from './facts.js';
import type { Vocabulary } from './grounding/vocabulary.js';
import { labName } from './lab-names.js';
import { plainDisplay } from './plain-display.js';

export interface ClinicalFacts {
  readonly facts: Fact[];
  /** The problem fact of the encounter's diagnosis, when the record names one. */
  readonly reasonFactId: string | undefined;
  /** Whether any medication is being taken at the encounter. */
  readonly onMedication: boolean;
}

/** How far back a lab result still belongs on the sheet. */
const LAB_LOOKBACK_MS = MS_PER_YEAR;
/** How long a stopped medication or a resolved episode stays on the sheet as history. */
const HISTORY_LOOKBACK_MS = MS_PER_YEAR;
const MAX_STOPPED_MEDICATIONS = 4;
const MAX_PAST_EPISODES = 3;
const MAX_PAST_PROCEDURES = 6;

/** Other names for a label: the vocabulary terms of the concepts it names ("T2DM" for "Diabetes mellitus type 2"). */
const synonymCache = new WeakMap<Vocabulary, Map<string, string[]>>();
function vocabularySynonyms(label: string, vocabulary: Vocabulary | undefined, max = 4): string[] {
  if (vocabulary === undefined) return [];
  let cache = synonymCache.get(vocabulary);
  if (cache === undefined) synonymCache.set(vocabulary, (cache = new Map()));
  const hit = cache.get(label);
  if (hit !== undefined) return hit;
  const lower = label.toLowerCase();
  const words = new Set(lower.split(/[\s,-]+/));
  // Only names that say no more than the label: abbreviations, the concept's own name, or rewordings
  // ("type 2 diabetes"); not narrower terms the vocabulary groups with it ("morbid obesity", "emphysema").
  const faithful = (term: string, name: string) =>
    /^[A-Z0-9-]+$/.test(term) || term === name || term.toLowerCase().split(/[\s,-]+/).every((w) => words.has(w));
  const terms: string[] = [];
  for (const found of vocabulary.find(label)) {
    for (const term of found.concept.terms) {
      if (term.toLowerCase() !== lower && !terms.includes(term) && faithful(term, found.concept.name)) terms.push(term);
    }
  }
  const out = terms.slice(0, max);
  cache.set(label, out);
  return out;
}

function problemStatus(c: ConditionEntry, at: number): FactStatus {
  if (c.abatement === undefined || c.abatement > at) return 'active';
  return c.clinicalStatus === 'active' ? 'resolved' : c.clinicalStatus;
}

/** Roman numerals of the summary stages, as oncology notes write them ("stage II"). */
const ROMAN = ['0', 'I', 'II', 'III', 'IV'];

/** "stage II" from a summary-stage coding ("Stage 2 (qualifier value)"); undefined when it names no stage number. */
export function stageText(display: string): string | undefined {
  const m = /\bstage\s+([0-4])\b/i.exec(display);
  return m === null ? undefined : `stage ${ROMAN[Number(m[1])]}`;
}

/**
 * The clinical facts of one encounter. `noteType` shapes the labs of a stay: an H&P is written on
 * admission (labs up to the stay's first draw); a discharge summary cites the latest of each test
 * with the stay's first result beside it (how it moved). `ownLabsOnly`: a specialist's visit that
 * drew labs has only those on its sheet.
 */
export function clinicalFacts(record: PatientRecord, encounter: Encounter, vocabulary: Vocabulary | undefined, noteType?: NoteType, ownLabsOnly = false): ClinicalFacts {
  const at = encounter.start;
  const facts: Fact[] = [];

  // Problems: what had been diagnosed by the end of this encounter. One fact per code: the
  // encounter's own diagnosis first, else an active entry, else the latest ended one.
  const known = record.conditions.filter((c) => c.recorded <= encounter.end || c.encounterId === encounter.id);
  const chosen = new Map<string, ConditionEntry>();
  const rank = (c: ConditionEntry): number => (c.id === encounter.reasonConditionId ? 3 : problemStatus(c, at) === 'active' ? 2 : 1);
  for (const c of known) {
    const prior = chosen.get(c.code.code);
    if (prior === undefined || rank(c) > rank(prior) || (rank(c) === rank(prior) && c.recorded >= prior.recorded)) chosen.set(c.code.code, c);
  }
  const entries = [...chosen.values()];
  const isReason = (c: ConditionEntry) => c.id === encounter.reasonConditionId;
  const active = entries.filter((c) => problemStatus(c, at) === 'active' && !isReason(c)).sort((a, b) => a.recorded - b.recorded);
  const ended = entries
    .filter((c) => problemStatus(c, at) !== 'active' && !isReason(c))
    .filter((c) => c.category === 'problem-list-item' || at - c.abatement! <= HISTORY_LOOKBACK_MS)
    .sort((a, b) => b.abatement! - a.abatement! || a.recorded - b.recorded);
  const endedEpisodes = ended.filter((c) => c.category === 'encounter-diagnosis').slice(0, MAX_PAST_EPISODES);
  const problems = [
    ...entries.filter(isReason),
    ...active,
    ...ended.filter((c) => c.category === 'problem-list-item'),
    ...endedEpisodes,
  ];
  const problemIdByCondition = new Map<string, string>();
  const problemIdsByKey = new Map<string, string[]>();
  let reasonFactId: string | undefined;
  problems.forEach((c, k) => {
    const id = `problem.${k + 1}`;
    const label = plainDisplay(c.code.display);
    const status = problemStatus(c, at);
    // A cancer's summary stage, once the record has assessed it (the oncology consult).
    const stage = c.stage !== undefined && c.stage.assessed <= encounter.end ? stageText(c.stage.summary.display) : undefined;
    facts.push({
      id,
      kind: 'problem',
      label,
      code: c.code,
      status,
      date: instantToDate(c.carried === true ? c.onset : c.recorded),
      // The staged name is the problem's too, so the stage words are the record's.
      synonyms: [...vocabularySynonyms(label, vocabulary), ...clinicNames(c.code.code), ...(stage === undefined ? [] : [`${label}, ${stage}`])],
      resourceId: c.id,
      ...(stage === undefined ? {} : { stage }),
    });
    if (isReason(c)) reasonFactId = id;
    if (status === 'active') {
      problemIdsByKey.set(c.key, [...(problemIdsByKey.get(c.key) ?? []), id]);
    }
  });
  // Every entry of a chosen code maps to its fact, so orders written for an earlier episode still link.
  for (const c of known) {
    const k = problems.findIndex((p) => p.code.code === c.code.code);
    if (k >= 0) problemIdByCondition.set(c.id, `problem.${k + 1}`);
  }
  const labelOf = new Map(facts.map((f) => [f.id, f.label]));

  // Medications: orders written by the end of this encounter and not stopped before it. Ward orders
  // (given only during a stay) are no home medication: the lists and reconciliation leave them out.
  // An H&P is written on admission: the stay's later orders (the discharge prescriptions) are not yet written.
  const written = noteType === 'history-and-physical' ? encounter.start + ADMISSION_NOTE_HOURS * MS_PER_HOUR : Infinity;
  const ordered = record.medications.filter((m) => m.inpatient === undefined && (m.authored <= encounter.end || m.encounterId === encounter.id) && m.authored <= written);
  const current = latestByCode(ordered.filter((m) => m.end === undefined || m.end > at), (m) => m.medication.code, (m) => m.authored);
  const currentCodes = new Set(current.map((m) => m.medication.code));
  const stopped = latestByCode(
    ordered.filter((m) => m.end !== undefined && m.end <= at && at - m.end <= HISTORY_LOOKBACK_MS && !currentCodes.has(m.medication.code)),
    (m) => m.medication.code,
    (m) => m.end!,
  ).slice(-MAX_STOPPED_MEDICATIONS);
  const medicationFact = (m: MedicationOrder, k: number, status: FactStatus): Fact => {
    const name = drugName(m.medication.display);
    const problemId = problemIdByCondition.get(m.conditionId);
    const problemLabel = problemId === undefined ? undefined : labelOf.get(problemId);
    // A child's liquid is charted with the dose worked from the weight, as the prescriber wrote it.
    const d = m.weightDose;
    const label = d === undefined ? name.label : `${name.label} ${d.ml} mL (${d.mg} mg, ${Math.round(d.mg / d.weightKg)} mg/kg) ${doseTiming(m.medication.code)}`;
    return {
      id: `medication.${k}`,
      kind: 'medication',
      label,
      code: m.medication,
      status,
      date: instantToDate(m.authored),
      ...(status === 'stopped' && m.end !== undefined ? { endDate: instantToDate(m.end) } : {}),
      resourceId: m.id,
      synonyms: [...name.synonyms, ...(d === undefined ? [] : [name.label]), ...(problemLabel === undefined ? [] : [`for ${problemLabel}`])],
      ...(problemId === undefined ? {} : { relatesTo: [problemId] }),
    };
  };
  current.forEach((m, i) => facts.push(medicationFact(m, i + 1, 'active')));
  stopped.forEach((m, i) => facts.push(medicationFact(m, current.length + i + 1, 'stopped')));
  // The stay's own admission orders, for its notes' plan and course (never in a medication list).
  const ward = record.medications.filter((m) => m.inpatient !== undefined && m.encounterId === encounter.id).sort((a, b) => a.authored - b.authored);
  ward.forEach((m, i) => {
    const name = drugName(m.medication.display);
    const problemId = problemIdByCondition.get(m.conditionId);
    // A discharge summary is written at the end of the stay, when its ward orders have ended.
    const ended = m.end !== undefined && m.end <= (noteType === 'discharge-summary' ? encounter.end : at);
    facts.push({
      id: `medication.${current.length + stopped.length + i + 1}`,
      kind: 'medication',
      label: wardOrderLabel(m.inpatient!.text),
      code: m.medication,
      status: ended ? m.status : 'active',
      date: instantToDate(m.authored),
      ...(ended ? { endDate: instantToDate(m.end!) } : {}),
      resourceId: m.id,
      synonyms: [...new Set([name.label, ...name.synonyms, ...name.ingredients.map((x) => x.split(/[ ,]/)[0]!)])],
      ...(problemId === undefined ? {} : { relatesTo: [problemId] }),
      inpatient: true,
    });
  });

  // A specialist's visit that drew its own labs reads those (the PCP's older panels are the PCP's).
  const own = ownLabsOnly ? record.labReports.filter((r) => r.encounterId === encounter.id) : [];
  facts.push(...labFacts(own.length > 0 ? own : record.labReports, encounter, problemIdsByKey, stayLabs(record, encounter, noteType)));
  facts.push(...procedureFacts(record.procedures, encounter, problemIdByCondition));

  return { facts, reasonFactId, onMedication: current.length > 0 };
}

/** The hours after admission by which an H&P is written (its orders are those of the admission). */
const ADMISSION_NOTE_HOURS = 4;

/**
 * A ward order as a note writes it: the order's first clause, lower-cased as a drug name is in a
 * sentence ("ceftriaxone 900 mg (50 mg/kg) IV once daily"); hold parameters after a semicolon stay
 * in the order.
 */
function wardOrderLabel(text: string): string {
  const clause = text.split(';')[0]!.trim();
  return /^[A-Z][a-z]/.test(clause) ? clause[0]!.toLowerCase() + clause.slice(1) : clause;
}

/**
 * How often a drug is given, from its dosing data ("twice daily", "every 6 hours as needed"); a
 * regimen of daily dose lines counts them all (insulin 70/30 before breakfast and supper is twice daily).
 */
export function doseTiming(code: string): string {
  const drug = loadDosing().drugs[code];
  const line = drug?.doses[0];
  if (drug === undefined || line === undefined) return 'per dose';
  const prn = drug.asNeeded === undefined ? '' : ' as needed';
  const perDay = drug.doses.every((d) => d.perDay !== undefined) ? drug.doses.reduce((n, d) => n + d.perDay!, 0) : line.perDay;
  if (perDay !== undefined) return `${['once', 'twice', 'three times', 'four times'][perDay - 1] ?? `${perDay} times`} daily${prn}`;
  if (line.everyHours !== undefined) return `every ${line.everyHours} hours${prn}`;
  return `per dose${prn}`;
}

function latestByCode<T>(items: readonly T[], code: (item: T) => string, time: (item: T) => number): T[] {
  const latest = new Map<string, T>();
  for (const item of items) {
    const prior = latest.get(code(item));
    if (prior === undefined || time(item) >= time(prior)) latest.set(code(item), item);
  }
  return [...latest.values()].sort((a, b) => time(a) - time(b) || (code(a) < code(b) ? -1 : code(a) > code(b) ? 1 : 0));
}

/** How the labs of an inpatient stay's note are read: up to when, and with the stay's first result of each test. */
interface StayLabs {
  /** Reports after this are not on the sheet (an H&P is written on admission). */
  readonly until: number;
  /** The stay's first result of each test by LOINC code, when the note says how values moved. */
  readonly first?: ReadonlyMap<string, { readonly result: LabResult; readonly report: LabReport }>;
}

/** An emergency visit ending this close before a stay began is the stay's first part (its workup leads the stay's labs). */
const FROM_ED_MS = 60 * 60 * 1000;

function stayLabs(record: PatientRecord, encounter: Encounter, noteType: NoteType | undefined): StayLabs {
  const plain: StayLabs = { until: encounter.end };
  if (encounter.class !== 'IMP' || (noteType !== 'history-and-physical' && noteType !== 'discharge-summary')) return plain;
  const ed = record.encounters.find((e) => e.class === 'EMER' && e.end <= encounter.start && encounter.start - e.end <= FROM_ED_MS);
  const own = record.labReports.filter((r) => r.encounterId === encounter.id || (ed !== undefined && r.encounterId === ed.id)).sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : 1));
  const ward = own.filter((r) => r.encounterId === encounter.id);
  if (noteType === 'history-and-physical') return ward.length === 0 ? plain : { until: ward[0]!.time };
  const first = new Map<string, { result: LabResult; report: LabReport }>();
  for (const report of own) for (const result of report.results) if (!first.has(result.code.code)) first.set(result.code.code, { result, report });
  return { until: encounter.end, first };
}

/**
 * The latest result of each test within a year, newest report first. Labels and synonyms are kept
 * unique across the sheet's labs, since the number check reads a value after each of them. A
 * discharge summary's lab carries the stay's first result of the test when that is another one.
 */
function labFacts(reports: readonly LabReport[], encounter: Encounter, problemIdsByKey: ReadonlyMap<string, string[]>, stay: StayLabs): Fact[] {
  const inWindow = reports
    .filter((r) => r.time <= stay.until && encounter.start - r.time <= LAB_LOOKBACK_MS)
    .sort((a, b) => b.time - a.time || (a.id < b.id ? -1 : 1));
  const seen = new Set<string>();
  const picked: { result: LabResult; report: LabReport }[] = [];
  for (const report of inWindow) {
    for (const result of report.results) {
      if (seen.has(result.code.code)) continue;
      seen.add(result.code.code);
      picked.push({ result, report });
    }
  }
  const used = new Set<string>();
  const out: Fact[] = [];
  for (const { result, report } of picked) {
    const name = labName(result.code);
    if (used.has(name.label.toLowerCase())) continue;
    used.add(name.label.toLowerCase());
    const synonyms = name.synonyms.filter((s) => !used.has(s.toLowerCase()));
    for (const s of synonyms) used.add(s.toLowerCase());
    const relatesTo = name.conditions.flatMap((key) => problemIdsByKey.get(key) ?? []);
    const first = stay.first?.get(result.code.code);
    out.push({
      id: `lab.${out.length + 1}`,
      kind: 'lab',
      label: name.label,
      code: result.code,
      value: result.value,
      unit: result.unit,
      range: { low: result.low, high: result.high },
      date: instantToDate(report.time),
      resourceId: result.id,
      synonyms,
      ...(relatesTo.length === 0 ? {} : { relatesTo }),
      ...(first === undefined || first.result.id === result.id ? {} : { firstOfStay: { value: first.result.value, date: instantToDate(first.report.time), resourceId: first.result.id } }),
    });
  }
  return out;
}

/** Procedures done at this encounter, then the latest few earlier ones (the surgical history). */
function procedureFacts(all: readonly ProcedureEntry[], encounter: Encounter, problemIdByCondition: ReadonlyMap<string, string>): Fact[] {
  // A laboratory procedure (the blood bank's type and screen) is a specimen test, not an operation: no note lists it as one.
  const procedures = all.filter((p) => p.category?.code !== loadHospitalCare().operationWard.typeAndScreenCategory.code);
  const here = procedures.filter((p) => p.encounterId === encounter.id);
  const hereCodes = new Set(here.map((p) => p.code.code));
  const earlier = latestByCode(
    procedures.filter((p) => p.encounterId !== encounter.id && p.end <= encounter.start && !hereCodes.has(p.code.code)),
    (p) => p.code.code,
    (p) => p.start,
  ).slice(-MAX_PAST_PROCEDURES);
  const seen = new Set<string>();
  const out: Fact[] = [];
  // The latest earlier study of the same kind as one done here: what a report compares against.
  const priors = latestByCode(
    procedures.filter((p) => p.encounterId !== encounter.id && p.end <= encounter.start && hereCodes.has(p.code.code)),
    (p) => p.code.code,
    (p) => p.start,
  );
  const priorFacts: Fact[] = priors.map((p, k) => ({
    id: `history.priorStudy.${k + 1}`,
    kind: 'history',
    label: plainDisplay(p.code.display),
    code: p.code,
    status: 'completed',
    date: instantToDate(p.start),
  }));
  for (const p of [...here, ...earlier]) {
    const label = plainDisplay(p.code.display);
    if (seen.has(label)) continue;
    seen.add(label);
    const problemId = p.reasonConditionId === undefined ? undefined : problemIdByCondition.get(p.reasonConditionId);
    out.push({
      id: `procedure.${out.length + 1}`,
      kind: 'procedure',
      label,
      code: p.code,
      status: 'completed',
      date: instantToDate(p.start),
      resourceId: p.id,
      ...(problemId === undefined ? {} : { relatesTo: [problemId] }),
    });
  }
  return [...out, ...priorFacts];
}

/**
 * Nights between admission and discharge (midnights crossed, as hospitals count a stay), at least
 * one: a stay from the evening of the 26th to the morning of the 1st is 6 days, its discharge on
 * hospital day 7, not the 5 its hours round to.
 */
export function lengthOfStayDays(encounter: Encounter): number {
  return Math.max(1, Math.floor(encounter.end / MS_PER_DAY) - Math.floor(encounter.start / MS_PER_DAY));
}

/**
 * Task corpora beyond span labels, each split like the notes (by patient):
 * - de-identification pairs: a note, the same note with PHI replaced by `[**TYPE**]` tags, and the
 *   same note with fresh surrogates (with the surrogates' offsets);
 * - summarization pairs: an admission's other notes (H&P, progress, ED, radiology) -> its
 *   discharge summary;
 * - question-answer pairs about the record (current medications, last HbA1c and when, allergies,
 *   date of diagnosis), each answer with its supporting FHIR resource ids, and questions whose
 *   true answer is "not in the record".
 * Everything comes from the notes and the patient's bundle: no text is made up here.
 */
import { murmur3String } from '../core/murmur3.js';
import type { CorpusDocument } from './document.js';
import type { CorpusFiles } from './format.js';
import { codePointOffsets } from './offsets.js';
import { SPLITS, type SplitName } from './split.js';
import { surrogatesFor } from './surrogates.js';

type Json = Record<string, unknown>;
export type BundleOf = (patientId: string) => Json | undefined;
/** The first day a patient's chart holds (`YYYY-MM-DD`), when the record window is known. */
export type ChartFromOf = (patientId: string, bundle: Json) => string | undefined;

/** The de-identification pair of one note. */
export function deidPair(d: CorpusDocument): Json {
  const surrogates = surrogatesFor(d.id, d.phi);
  let tagged = '';
  let surrogate = '';
  let from = 0;
  const spans: { start: number; end: number; text: string; type: string; original: string }[] = [];
  d.phi.forEach((p, i) => {
    tagged += `${d.text.slice(from, p.start)}[**${p.type}**]`;
    surrogate += d.text.slice(from, p.start);
    const start = surrogate.length;
    surrogate += surrogates[i]!;
    spans.push({ start, end: surrogate.length, text: surrogates[i]!, type: p.type, original: p.text });
    from = p.end;
  });
  tagged += d.text.slice(from);
  surrogate += d.text.slice(from);
  const at = codePointOffsets(surrogate);
  const src = codePointOffsets(d.text);
  return {
    id: d.id,
    patient_id: d.patientId,
    note_type: d.noteType,
    text: d.text,
    phi: d.phi.map((p) => ({ start: src(p.start), end: src(p.end), text: p.text, type: p.type, category: p.category })),
    tagged,
    surrogate,
    surrogate_phi: spans.map((s) => ({ ...s, start: at(s.start), end: at(s.end) })),
  };
}

/** Summarization pairs: each admission with a discharge summary and at least one other note. */
export function summaryPairs(documents: readonly CorpusDocument[]): Json[] {
  const byEncounter = new Map<string, CorpusDocument[]>();
  for (const d of documents) byEncounter.set(d.encounterId, [...(byEncounter.get(d.encounterId) ?? []), d]);
  const out: Json[] = [];
  for (const [encounterId, notes] of byEncounter) {
    const summary = notes.find((n) => n.noteType === 'discharge-summary');
    const sources = notes.filter((n) => n !== summary);
    if (summary === undefined || sources.length === 0) continue;
    out.push({
      id: `${summary.id}-summary`,
      patient_id: summary.patientId,
      encounter_id: encounterId,
      kind: sources.length === 1 ? 'long-note' : 'admission',
      source_note_ids: sources.map((s) => s.id),
      source: sources.map((s) => `### ${s.title} (${s.date})\n\n${s.text}`).join('\n'),
      target_note_id: summary.id,
      target: summary.text,
    });
  }
  return out;
}

function codeOf(resource: Json, field: string): { code?: string; display?: string; system?: string } {
  const cc = resource[field] as { coding?: { system?: string; code?: string; display?: string }[]; text?: string } | undefined;
  const c = cc?.coding?.[0];
  return { ...(c?.code === undefined ? {} : { code: c.code }), ...(c?.system === undefined ? {} : { system: c.system }), display: cc?.text ?? c?.display ?? 'unnamed' };
}

function resourcesOf(bundle: Json): Json[] {
  return ((bundle['entry'] as { resource?: Json }[] | undefined) ?? []).map((e) => e.resource).filter((r): r is Json => r !== undefined);
}

const HBA1C = '4548-4';
/** Conditions asked about when the record lacks them (the answer is "not in the record"). */
const ABSENT_CANDIDATES = [
  { code: '195967001', display: 'asthma' },
  { code: '84114007', display: 'heart failure' },
  { code: '13645005', display: 'chronic obstructive pulmonary disease' },
  { code: '44054006', display: 'type 2 diabetes mellitus' },
  { code: '38341003', display: 'hypertension' },
  { code: '49436004', display: 'atrial fibrillation' },
];

/**
 * QA pairs about one patient's record, answered from the bundle with the resources that support each answer.
 * @param chartFrom the first day the chart holds (`YYYY-MM-DD`, the record window's start), when known.
 */
export function qaPairs(patientId: string, bundle: Json, chartFrom?: string): Json[] {
  const resources = resourcesOf(bundle);
  const ref = (r: Json) => `${r['resourceType'] as string}/${r['id'] as string}`;
  const out: Json[] = [];
  const add = (kind: string, question: string, answer: string, answerable: boolean, supporting: string[]) =>
    out.push({ id: `${patientId}-qa${out.length + 1}`, patient_id: patientId, kind, question, answer, answerable, supporting_resources: supporting });

  const meds = resources.filter((r) => r['resourceType'] === 'MedicationRequest' && r['status'] === 'active');
  if (meds.length > 0) add('current-medications', 'What medications is the patient currently taking?', [...new Set(meds.map((m) => codeOf(m, 'medicationCodeableConcept').display!))].join('; '), true, meds.map(ref));
  else add('current-medications', 'What medications is the patient currently taking?', 'None: the record has no active medication orders.', true, []);

  const a1c = resources
    .filter((r) => r['resourceType'] === 'Observation' && codeOf(r, 'code').code === HBA1C && r['valueQuantity'] !== undefined)
    .sort((x, y) => String(x['effectiveDateTime']).localeCompare(String(y['effectiveDateTime'])));
  const last = a1c.at(-1);
  if (last !== undefined) {
    const q = last['valueQuantity'] as { value: number; unit?: string };
    add('last-hba1c', 'What was the most recent hemoglobin A1c, and when was it measured?', `${q.value}${q.unit === undefined ? '' : ` ${q.unit}`} on ${String(last['effectiveDateTime']).slice(0, 10)}`, true, [ref(last)]);
  } else add('last-hba1c', 'What was the most recent hemoglobin A1c, and when was it measured?', 'Not in the record: no hemoglobin A1c result.', false, []);

  const allergies = resources.filter((r) => r['resourceType'] === 'AllergyIntolerance');
  const real = allergies.filter((r) => !/no known/i.test(codeOf(r, 'code').display ?? ''));
  if (real.length > 0) add('allergies', 'What allergies does the patient have?', real.map((r) => codeOf(r, 'code').display).join('; '), true, real.map(ref));
  else if (allergies.length > 0) add('allergies', 'What allergies does the patient have?', 'No known allergies.', true, allergies.map(ref));
  else add('allergies', 'What allergies does the patient have?', 'Not in the record: no allergy information.', false, []);

  const conditions = resources.filter((r) => r['resourceType'] === 'Condition' && typeof r['onsetDateTime'] === 'string');
  const firstByCode = new Map<string, Json>();
  for (const c of [...conditions].sort((x, y) => String(x['onsetDateTime']).localeCompare(String(y['onsetDateTime'])))) {
    const code = codeOf(c, 'code').code ?? '';
    if (!firstByCode.has(code)) firstByCode.set(code, c);
  }
  const chosen = [...firstByCode.values()].sort((x, y) => murmur3String(`${patientId}|${ref(x)}`) - murmur3String(`${patientId}|${ref(y)}`)).slice(0, 3);
  // A condition whose onset precedes the chart (`chartFrom`, the record window's start) is history
  // taken down at the chart's first visit, diagnosed at its onset; any other was diagnosed when it was
  // recorded (its onset is when symptoms began, often days before). Without the window, the first
  // encounter stands in for it.
  const chartStart = chartFrom ?? resources
    .filter((r) => r['resourceType'] === 'Encounter')
    .map((r) => String((r['period'] as { start?: string } | undefined)?.start ?? '').slice(0, 10))
    .filter((d) => d !== '')
    .sort()[0];
  for (const c of chosen) {
    const name = codeOf(c, 'code').display!.replace(/\s*\((?:disorder|finding|situation)\)$/, '');
    const onset = String(c['onsetDateTime']).slice(0, 10);
    const recorded = typeof c['recordedDate'] === 'string' ? c['recordedDate'].slice(0, 10) : undefined;
    const diagnosed = recorded === undefined || (chartStart !== undefined && onset < chartStart) ? onset : recorded;
    add('date-of-diagnosis', `When was ${name.toLowerCase()} first diagnosed?`, diagnosed, true, [ref(c)]);
  }
  const codes = new Set(resources.filter((r) => r['resourceType'] === 'Condition').map((r) => codeOf(r, 'code').code));
  const absent = ABSENT_CANDIDATES.filter((c) => !codes.has(c.code));
  if (absent.length > 0) {
    const pick = absent[murmur3String(`${patientId}|absent`) % absent.length]!;
    add('date-of-diagnosis', `When was ${pick.display} first diagnosed?`, `Not in the record: the record has no diagnosis of ${pick.display}.`, false, []);
  }
  return out;
}

export interface TaskCorpora {
  readonly files: CorpusFiles;
  readonly counts: Record<string, number>;
}

/** JSON Lines, one row a line, empty for no rows. */
export function jsonl(rows: readonly Json[]): string {
  return rows.length === 0 ? '' : `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;
}

/** The QA pairs of every patient with a note in `docs` (one split), in the order their notes come. */
export function splitQaPairs(docs: readonly CorpusDocument[], bundleOf: BundleOf, chartFromOf?: ChartFromOf): Json[] {
  const rows: Json[] = [];
  for (const patientId of new Set(docs.map((d) => d.patientId))) {
    const bundle = bundleOf(patientId);
    if (bundle !== undefined) rows.push(...qaPairs(patientId, bundle, chartFromOf?.(patientId, bundle)));
  }
  return rows;
}

/** The task files (`tasks/<task>/<split>.jsonl`) for the tasks asked for. */
export function taskCorpora(documents: readonly CorpusDocument[], splitOf: ReadonlyMap<string, SplitName>, tasks: ReadonlySet<string>, bundleOf: BundleOf, chartFromOf?: ChartFromOf): TaskCorpora {
  const files: CorpusFiles = new Map();
  const counts: Record<string, number> = {};
  const bySplit = (split: SplitName) => documents.filter((d) => splitOf.get(d.patientId) === split);
  for (const split of SPLITS) {
    const docs = bySplit(split);
    if (tasks.has('deid')) {
      const rows = docs.filter((d) => d.phi.length > 0).map(deidPair);
      files.set(`tasks/deid/${split}.jsonl`, jsonl(rows));
      counts['deid'] = (counts['deid'] ?? 0) + rows.length;
    }
    if (tasks.has('summary')) {
      const rows = summaryPairs(docs);
      files.set(`tasks/summary/${split}.jsonl`, jsonl(rows));
      counts['summary'] = (counts['summary'] ?? 0) + rows.length;
    }
    if (tasks.has('qa')) {
      const rows = splitQaPairs(docs, bundleOf, chartFromOf);
      files.set(`tasks/qa/${split}.jsonl`, jsonl(rows));
      counts['qa'] = (counts['qa'] ?? 0) + rows.length;
    }
  }
  return { files, counts };
}

// Note realism bench (issue 13): what a clinician and an NLP researcher would count in the template
// writer's notes, over a simulated cohort (every note type its records call for):
// - label leakage: share of sick-visit and ED notes whose chief complaint is the coded diagnosis,
//   and whose chief complaint or HPI names it (or a synonym) at all;
// - sick patients who feel well: share of acute notes saying "doing well", "feeling well", "no acute concerns";
//   share of acute notes whose history gives a symptom and a duration;
// - "Return in 1 year" on acute, prenatal or infant visits;
// - variety: distinct exam lines per 1,000 notes with an exam, share of sentences made by the 200
//   most common sentence templates (digits and names masked), distinct-4-gram share over 20,000
//   words sampled two notes per patient;
// - length: median words per note type;
// - grounding rejections (must be 0), and (unless --quick) the memorization guard's rejections in
//   `generate --notes` on 200 patients, seed 1.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { noteCohort } from '../helpers/note-cohort.js';

const SUITE = 'note-realism';
const FEEL_WELL = /doing well|feeling well|no acute concerns|no new concerns|no specific complaints|no concerns at this time/i;
const DURATION = /\b(?:\d+|one|two|three|four|five|six|seven|several|a few|a couple of)[- ](?:hours?|days?|weeks?|months?)\b|\bx ?\d+ ?(?:d|days?|wks?|weeks?|hrs?|hours?)\b|\bsince (?:yesterday|last night|this morning|\w+day)\b|\b(?:yesterday|last night|this morning|earlier today)\b/i;
const ONE_YEAR = /return in 1 year|follow up in 1 year|RTC 1 year|in 12 months/i;

function median(xs) {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function sectionText(note, pattern) {
  return note.sections.filter((s) => pattern.test(s.heading)).map((s) => s.text).join('\n');
}

export function measure(items, vocabulary, noteToText) {
  const symptoms = vocabulary.concepts.filter((c) => c.kind === 'symptom');
  let acute = 0, ccIsDx = 0, ccHpiNamesDx = 0, feelWell = 0, symptomAndDuration = 0;
  let longFollowUp = 0, followUpEligible = 0, withExam = 0;
  const examLines = new Set();
  const hpiSentences = new Set();
  let hpiNotes = 0;
  const templates = new Map();
  let sentences = 0;
  const words = new Map();
  for (const { sheet, note } of items) {
    const text = noteToText(note);
    const type = sheet.encounter.noteType;
    const n = text.split(/\s+/).filter(Boolean).length;
    words.set(type, [...(words.get(type) ?? []), n]);
    const reason = sheet.facts.find((f) => f.id === sheet.encounter.reasonFactId);
    const isAcute = (type === 'progress-note' && reason !== undefined && reason.date === sheet.encounter.date) || type === 'ed-note';
    const cc = sectionText(note, /^(?:chief complaint|cc|reason for (?:visit|admission))$/i);
    const hpi = sectionText(note, /^(?:history of present illness|hpi|subjective|interval history|s)$/i);
    if (isAcute) {
      acute++;
      const dxTerms = reason === undefined ? [] : [reason.label, ...(reason.synonyms ?? [])].map((t) => t.toLowerCase());
      if (reason !== undefined && cc.trim().toLowerCase().startsWith(reason.label.toLowerCase())) ccIsDx++;
      const history = `${cc}\n${hpi}`.toLowerCase();
      if (dxTerms.some((t) => t.length > 2 && history.includes(t))) ccHpiNamesDx++;
      if (FEEL_WELL.test(`${cc}\n${hpi}`)) feelWell++;
      const hasSymptom = symptoms.some((c) => vocabulary.occursIn(c, `${cc}\n${hpi}`)) || /pain|ache|injur|fell|fall|cut|swelling|ear|throat/i.test(`${cc}\n${hpi}`);
      if (hasSymptom && DURATION.test(`${cc}\n${hpi}`)) symptomAndDuration++;
    }
    const infant = sheet.patient.age < 2;
    const prenatal = /prenatal|antenatal|pregnan|obstetric/i.test(sheet.encounter.type);
    if (type === 'progress-note' && (isAcute || infant || prenatal)) {
      followUpEligible++;
      if (ONE_YEAR.test(text)) longFollowUp++;
    }
    // Exam lines without numbers: the findings, not the vitals some clinicians file under the exam.
    const exam = sectionText(note, /^(?:physical exam(?:ination)?|pe|exam|examination)$/i).split('\n').filter((l) => !/\d/.test(l)).join('\n');
    if (exam.trim() !== '') {
      withExam++;
      for (const line of exam.split(/\n|(?<=\.)\s+(?=[A-Z][A-Za-z/ ]{1,20}:)/)) if (line.trim() !== '') examLines.add(line.trim());
    }
    if (hpi.trim() !== '') {
      hpiNotes++;
      for (const s of hpi.split(/(?<=[.!?])\s+/)) hpiSentences.add(s.trim());
    }
    const masked = text
      .replaceAll(sheet.patient.givenName, 'NAME')
      .replaceAll(sheet.patient.familyName, 'NAME')
      .replaceAll(sheet.encounter.author, 'DOCTOR')
      .replace(/\d+(?:\.\d+)?/g, '0');
    for (const s of masked.split(/(?<=[.!?])\s+|\n+/)) {
      const t = s.trim();
      if (t.length < 3 || /^[A-Z /&-]+:$/.test(t)) continue;
      sentences++;
      templates.set(t, (templates.get(t) ?? 0) + 1);
    }
  }
  const top = [...templates.values()].sort((a, b) => b - a).slice(0, 200).reduce((a, b) => a + b, 0);
  const byPatient = new Map();
  for (const item of items) byPatient.set(item.patient, [...(byPatient.get(item.patient) ?? []), item]);
  const sample = [];
  let total = 0;
  for (const list of byPatient.values()) {
    for (const item of list.slice(0, 2)) {
      if (total >= 20_000) break;
      const w = noteToText(item.note).toLowerCase().split(/\s+/).filter(Boolean);
      sample.push(w);
      total += w.length;
    }
  }
  const grams = new Set();
  let gramCount = 0;
  for (const w of sample) {
    for (let i = 0; i + 4 <= w.length; i++) {
      grams.add(w.slice(i, i + 4).join(' '));
      gramCount++;
    }
  }
  const pct = (a, b) => (b === 0 ? 0 : Math.round((1000 * a) / b) / 10);
  return {
    notes: items.length,
    acute,
    ccEqualsDiagnosisPct: pct(ccIsDx, acute),
    ccOrHpiNamesDiagnosisPct: pct(ccHpiNamesDx, acute),
    feelWellInAcutePct: pct(feelWell, acute),
    acuteWithSymptomAndDurationPct: pct(symptomAndDuration, acute),
    returnIn1YearOnAcuteInfantPrenatal: longFollowUp,
    followUpEligible,
    distinctExamLinesPer1000: withExam === 0 ? 0 : Math.round((1000 * examLines.size) / withExam),
    distinctExamLines: examLines.size,
    distinctHpiSentencesPer1000: hpiNotes === 0 ? 0 : Math.round((1000 * hpiSentences.size) / hpiNotes),
    top200TemplatesSentencePct: pct(top, sentences),
    distinct4gramShare: gramCount === 0 ? 0 : Math.round((1000 * grams.size) / gramCount) / 1000,
    medianWords: Object.fromEntries([...words.entries()].sort().map(([k, v]) => [k, median(v)])),
  };
}

export async function run(ctx) {
  const patients = ctx.quick ? 60 : 300;
  const { vocabulary, jobs, buildFactSheet, writeTemplateNote, checkNote, noteToText } = await noteCohort(ctx.root, { seed: 1, patients });
  const items = [];
  const rejections = new Map();
  let rejected = 0;
  for (const { patient, record, plan, author } of jobs) {
    const sheet = buildFactSheet(record, plan.encounter, { authorName: author, noteType: plan.noteType, vocabulary });
    const note = writeTemplateNote(sheet, `${sheet.encounter.id}|${plan.noteType}|0`);
    const violations = checkNote(note, sheet, vocabulary);
    if (violations.length > 0) {
      rejected++;
      for (const v of violations) rejections.set(v.code, (rejections.get(v.code) ?? 0) + 1);
    }
    items.push({ sheet, note, patient: `${patient}` });
  }
  const m = measure(items, vocabulary, noteToText);
  if (process.env.BENCH_VERBOSE === '1') process.stderr.write(`  [${SUITE}] ${JSON.stringify({ ...m, rejections: Object.fromEntries(rejections) })}\n`);
  const name = `${m.notes} template notes (${patients} patients)`;
  const row = (metric, value, unit) => ({ suite: SUITE, case: name, metric, value, unit });
  const rows = [
    row('chief complaint = coded diagnosis (acute)', m.ccEqualsDiagnosisPct, '%'),
    row('CC or HPI names the diagnosis (acute)', m.ccOrHpiNamesDiagnosisPct, '%'),
    row('"doing/feeling well" in acute notes', m.feelWellInAcutePct, '%'),
    row('acute notes with symptom + duration', m.acuteWithSymptomAndDurationPct, '%'),
    row('"Return in 1 year" on acute/infant/prenatal visits', m.returnIn1YearOnAcuteInfantPrenatal, 'notes'),
    row('distinct exam lines per 1,000 notes with exam', m.distinctExamLinesPer1000, 'lines'),
    row('distinct HPI sentences per 1,000 notes', m.distinctHpiSentencesPer1000, 'sentences'),
    row('sentences from the top 200 templates', m.top200TemplatesSentencePct, '%'),
    row('distinct-4-gram share (20,000 words)', m.distinct4gramShare, 'ratio'),
    ...Object.entries(m.medianWords).map(([type, w]) => row(`median words: ${type}`, w, 'words')),
    row('rejected by grounding checks', rejected, 'notes'),
  ];
  if (!ctx.quick && process.env.BENCH_NO_GUARD !== '1') {
    const out = join(ctx.workDir, 'note-realism-generate');
    rmSync(out, { recursive: true, force: true });
    execFileSync(process.execPath, [join(ctx.root, 'bin', 'chartwright.js'), 'generate', '--out', out, '--patients', '200', '--seed', '1', '--reference-date', '2025-06-01', '--notes'], { stdio: ['ignore', 'ignore', 'inherit'] });
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    const counts = manifest.notes.dedup.counts;
    const guardRejected = counts.rejectedMemorizedOverlap + counts.rejectedNearDuplicate;
    const attempted = manifest.notes.kept + manifest.notes.rejected;
    rows.push(row('memorization guard rejections (generate --notes, 200 patients)', Math.round((1000 * guardRejected) / attempted) / 10, '%'));
    rows.push(row('notes flagged by the guard at least once', Math.round((1000 * counts.flaggedByOtherPatient) / counts.screened) / 10, '% of drafts'));
    rmSync(out, { recursive: true, force: true });
  }
  return rows;
}

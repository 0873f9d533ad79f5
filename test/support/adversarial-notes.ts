/**
 * The adversarial note writer: what a scripted OpenAI-compatible server answers when it plays a
 * fluent but unreliable model. It writes a note from the fact sheet the prompt carries (copying the
 * sheet and citing its fact ids, in prose rather than the template's wording) and plants one
 * statement per note: an invented fact of some class, in one of several wordings, or a true fact
 * restated in other words (a brand for a recorded generic, "HTN", 98.6 F for 37 C). The grounding
 * checks must reject every invented fact and keep every restatement.
 */
import type { Fact, FactSheet } from '../../src/notes/facts.js';
import type { NoteMention, NoteOutput } from '../../src/notes/note-output.js';
import type { Vocabulary } from '../../src/notes/grounding/vocabulary.js';

/** One planted statement: where it goes and what it says, or undefined when the sheet cannot host it. */
export type Plant = (sheet: FactSheet, vocabulary: Vocabulary) => string | undefined;

export interface PlantClass {
  readonly name: string;
  /** True: a true fact in other words, which must pass. False: an invented fact, which must be rejected. */
  readonly truthful: boolean;
  readonly wordings: readonly Plant[];
}

const active = (sheet: FactSheet, kind: Fact['kind']) => sheet.facts.filter((f) => f.kind === kind && (f.status === undefined || f.status === 'active' || f.status === 'completed'));
const has = (sheet: FactSheet, re: RegExp) => sheet.facts.some((f) => re.test([f.label, ...(f.synonyms ?? []), f.code?.display ?? ''].join(' ')));
const year = (date: string) => Number(date.slice(0, 4));
const pronoun = (sheet: FactSheet) => (sheet.patient.sex === 'female' ? 'She' : 'He');
const wrongPronoun = (sheet: FactSheet) => (sheet.patient.sex === 'female' ? 'He' : 'She');
/** The first single-strength drug the sheet has, with its strength. */
function strengthDrug(sheet: FactSheet): { fact: Fact; name: string; value: number; unit: string } | undefined {
  for (const f of active(sheet, 'medication')) {
    const all = [...f.label.matchAll(/(\d+(?:\.\d+)?) (mg|mcg)\b(?!\/)/g)];
    if (all.length !== 1 || /\//.test(f.label)) continue;
    const name = f.synonyms?.find((s) => /^[a-z][a-z -]+$/.test(s) && !s.includes(' mg')) ?? f.label.split(' ')[0]!;
    return { fact: f, name, value: Number(all[0]![1]), unit: all[0]![2]! };
  }
  return undefined;
}
function datedProblem(sheet: FactSheet): Fact | undefined {
  return sheet.facts.find((f) => f.kind === 'problem' && f.date !== undefined && f.status === 'active' && year(sheet.encounter.date) - year(f.date) >= 2);
}
const vital = (sheet: FactSheet, id: string) => sheet.facts.find((f) => f.id === id);
const lab = (sheet: FactSheet) => sheet.facts.find((f) => f.kind === 'lab' && f.value !== undefined && f.value > 1);
/** A fact whose name gives a side of a body site ("tugging at the right ear"), with the side and the site word. */
function lateral(sheet: FactSheet): { side: 'left' | 'right'; site: string } | undefined {
  for (const f of sheet.facts) {
    for (const name of [f.label, ...(f.synonyms ?? [])]) {
      const m = /\b(left|right) (ear|hand|wrist|ankle|knee|hip|shoulder|breast|eye|kidney)\b/i.exec(name);
      if (m !== null) return { side: m[1]!.toLowerCase() as 'left' | 'right', site: m[2]!.toLowerCase() };
    }
  }
  return undefined;
}
const otherSide = (side: 'left' | 'right') => (side === 'left' ? 'right' : 'left');
const capital = (w: string) => `${w[0]!.toUpperCase()}${w.slice(1)}`;
const currentDrugs = (sheet: FactSheet) => sheet.facts.filter((f) => f.kind === 'medication' && (f.status === undefined || f.status === 'active')).length;
const smokingLabel = (sheet: FactSheet) => sheet.facts.find((f) => f.id === 'social.smoking')?.label;
function brandOf(fact: Fact, vocabulary: Vocabulary): string | undefined {
  for (const c of vocabulary.concepts) {
    if (c.kind !== 'drug') continue;
    if (!fact.label.toLowerCase().startsWith(`${c.name.toLowerCase()} `)) continue;
    return c.terms.find((t) => /^[A-Z][a-z]{3,}$/.test(t));
  }
  return undefined;
}
function abbreviationOf(fact: Fact, vocabulary: Vocabulary): string | undefined {
  return (fact.synonyms ?? []).find((s) => /^[A-Z][A-Za-z0-9-]{1,5}$/.test(s) && vocabulary.find(s).length > 0);
}

/** The classes of invented facts (each must be rejected) and of true restatements (each must pass). */
export const PLANT_CLASSES: readonly PlantClass[] = [
  { name: 'invented drug (generic)', truthful: false, wordings: [
    (s) => (has(s, /apixaban|Eliquis/i) ? undefined : 'Started apixaban 5 mg twice daily.'),
    (s) => (has(s, /warfarin/i) ? undefined : `${pronoun(s)} also takes warfarin.`),
    (s) => (has(s, /gabapentin/i) ? undefined : 'Continue gabapentin at bedtime.'),
  ] },
  { name: 'invented drug (brand)', truthful: false, wordings: [
    (s) => (has(s, /apixaban|Eliquis/i) ? undefined : 'Continue Eliquis.'),
    (s) => (has(s, /atorvastatin|Lipitor/i) ? undefined : `${pronoun(s)} remains on Lipitor.`),
    (s) => (has(s, /rivaroxaban|Xarelto/i) ? undefined : 'Refilled Xarelto 20 mg.'),
  ] },
  { name: 'changed dose of a recorded drug', truthful: false, wordings: [
    (s) => { const d = strengthDrug(s); return d && `Takes ${d.name} ${d.value * 2} ${d.unit} daily.`; },
    (s) => { const d = strengthDrug(s); return d && `Increased ${d.name} to ${d.value * 4} ${d.unit}.`; },
    (s) => { const d = strengthDrug(s); return d && `Continue ${d.name} ${+(d.value / 2).toFixed(3)} ${d.unit}.`; },
  ] },
  { name: 'invented condition (name)', truthful: false, wordings: [
    (s) => (has(s, /asthma/i) ? undefined : 'History of asthma.'),
    (s) => (has(s, /gout/i) ? undefined : `${pronoun(s)} also has gout.`),
    (s) => (has(s, /rheumatoid/i) ? undefined : 'Known rheumatoid arthritis, stable.'),
  ] },
  { name: 'invented condition (abbreviation)', truthful: false, wordings: [
    (s) => (has(s, /heart failure|CHF/i) ? undefined : 'PMH notable for CHF.'),
    (s) => (has(s, /atrial fibrillation|AFib/i) ? undefined : 'Known AFib, rate controlled.'),
    (s) => (has(s, /kidney disease|CKD/i) ? undefined : 'CKD 3a, followed by nephrology.'),
  ] },
  { name: 'procedure the record lacks', truthful: false, wordings: [
    (s) => (has(s, /cholecystectomy/i) ? undefined : `${pronoun(s)} is s/p lap chole.`),
    (s) => (has(s, /appendectomy/i) ? undefined : 'Status post appendectomy.'),
    (s) => (has(s, /bypass|CABG/i) ? undefined : `${pronoun(s)} underwent CABG.`),
  ] },
  { name: 'imaging the record lacks', truthful: false, wordings: [
    (s) => (has(s, /X-ray of chest|chest X-ray/i) ? undefined : 'CXR today was clear.'),
    (s) => (has(s, /tomography of head/i) ? undefined : 'CT head was negative.'),
    (s) => (has(s, /magnetic resonance/i) ? undefined : 'MRI of the knee was ordered.'),
  ] },
  { name: 'invented allergy', truthful: false, wordings: [
    (s) => (has(s, /sulfa/i) ? undefined : `${pronoun(s)} is allergic to sulfa.`),
    (s) => (has(s, /latex/i) ? undefined : 'Allergies: latex.'),
    (s) => (has(s, /peanut/i) ? undefined : 'Peanut allergy noted.'),
  ] },
  { name: 'invented lab test', truthful: false, wordings: [
    (s) => (has(s, /troponin/i) ? undefined : 'Troponin was negative.'),
    (s) => (has(s, /thyrotropin|TSH/i) ? undefined : 'TSH 2.1.'),
    (s) => (has(s, /lipase/i) ? undefined : 'Lipase 40 U/L.'),
  ] },
  { name: 'wrong lab value', truthful: false, wordings: [
    (s) => { const l = lab(s); return l && `${l.label} ${+(l.value! * 1.5).toFixed(1)} ${l.unit}.`; },
    (s) => { const l = lab(s); return l && `Latest ${l.label.toLowerCase()} was ${+(l.value! * 2).toFixed(1)}.`; },
  ] },
  { name: 'wrong blood pressure', truthful: false, wordings: [
    (s) => (vital(s, 'vital.bp') === undefined ? undefined : 'BP 182/111 on recheck.'),
    (s) => (vital(s, 'vital.bp') === undefined ? undefined : 'Blood pressure was 90/50.'),
  ] },
  { name: 'wrong temperature in °F', truthful: false, wordings: [
    (s) => (vital(s, 'vital.bodyTemperature') === undefined ? undefined : 'Temp 101.3 F.'),
    (s) => (vital(s, 'vital.bodyTemperature') === undefined ? undefined : 'Temperature 103 °F.'),
  ] },
  { name: 'wrong age', truthful: false, wordings: [
    (s) => `Patient is a ${s.patient.age + 7}-year-old.`,
    (s) => `Age: ${s.patient.age + 3}.`,
  ] },
  { name: 'pronoun of the other sex', truthful: false, wordings: [
    (s) => `${wrongPronoun(s)} was seen today.`,
    (s) => `Plan discussed with ${s.patient.sex === 'female' ? 'him' : 'her'}.`,
    (s) => `${s.patient.sex === 'female' ? 'His' : 'Her'} questions were answered.`,
  ] },
  { name: 'wrong diagnosis year', truthful: false, wordings: [
    (s) => { const p = datedProblem(s); return p && `${p.label} (diagnosed ${year(p.date!) - 3}).`; },
    (s) => { const p = datedProblem(s); return p && `${pronoun(s)} was diagnosed with ${p.label.toLowerCase()} in ${year(p.date!) + 1}.`; },
    (s) => { const p = datedProblem(s); return p && `${p.label} since ${year(p.date!) - 5}.`; },
  ] },
  { name: 'wrong relative time', truthful: false, wordings: [
    (s) => { const p = datedProblem(s); return p && `${p.label} was diagnosed ${year(s.encounter.date) - year(p.date!) + 6} years ago.`; },
  ] },
  { name: 'invented family history', truthful: false, wordings: [
    () => 'Mother with breast cancer.',
    () => 'Family history of colon cancer.',
    () => 'Father had a myocardial infarction.',
  ] },
  { name: 'invented immunization', truthful: false, wordings: [
    (s) => (has(s, /zoster/i) ? undefined : 'Shingrix given today.'),
    (s) => (has(s, /influenza/i) ? undefined : 'Flu shot administered.'),
    (s) => (has(s, /Tdap/i) ? undefined : 'Tdap booster given.'),
  ] },
  { name: 'wrong smoking status', truthful: false, wordings: [
    (s) => (s.facts.find((f) => f.id === 'social.smoking')?.label === 'Smokes tobacco daily' ? undefined : 'Current smoker, 1 ppd.'),
    (s) => (s.facts.find((f) => f.id === 'social.smoking')?.label === 'Ex-smoker' ? undefined : 'Former smoker, quit 10 years ago.'),
  ] },
  { name: 'unsupported pertinent negative', truthful: false, wordings: [
    (s) => (s.negatives.some((n) => /stroke/.test(n)) ? undefined : 'No history of stroke.'),
    (s) => (s.negatives.some((n) => /seizure/.test(n)) ? undefined : 'Denies seizures.'),
  ] },
  { name: 'plan for a drug the record lacks', truthful: false, wordings: [
    (s) => (has(s, /metoprolol/i) ? undefined : 'Consider starting metoprolol.'),
    (s) => (has(s, /insulin/i) ? undefined : 'Plan to start insulin if glucose rises.'),
  ] },
  { name: 'unknown clinical word', truthful: false, wordings: [
    () => 'Chronic pancreatitis noted.',
    () => 'Continue Zorvanex 10 mg daily.',
    () => 'Recent arthroplasty of the wrist.',
  ] },
  { name: 'other side of a recorded site', truthful: false, wordings: [
    (s) => { const l = lateral(s); return l && `${capital(otherSide(l.side))} ${l.site} is the concern today.`; },
    (s) => { const l = lateral(s); return l && `Symptoms involve the ${otherSide(l.side)} ${l.site}.`; },
    (s) => { const l = lateral(s); return l && `Tenderness of the ${l.site} on the ${otherSide(l.side)}.`; },
    (s) => { const l = lateral(s); return l && `Bilateral ${l.site} involvement.`; },
  ] },
  { name: 'count of events the record lacks', truthful: false, wordings: [
    (s) => `This is ${s.patient.sex === 'female' ? 'her' : 'his'} third admission this year.`,
    (s) => `${pronoun(s)} has had three prior admissions.`,
    (s) => `Now on ${s.patient.sex === 'female' ? 'her' : 'his'} second course of chemotherapy.`,
    () => 'Two previous hospitalizations for the same problem.',
    (s) => `Takes ${currentDrugs(s) + 2} medications daily.`,
  ] },
  { name: 'tobacco or alcohol amount the record lacks', truthful: false, wordings: [
    () => '40 pack-year smoking history.',
    (s) => (smokingLabel(s) === undefined || /never/i.test(smokingLabel(s)!) ? undefined : `${pronoun(s)} has a 25 pack-year history.`),
    (s) => `${pronoun(s)} drinks 6 beers a week.`,
    () => 'Reports 2 glasses of wine nightly.',
    () => 'Alcohol: 3 drinks per day.',
  ] },

  { name: 'exam finding the record lacks', truthful: false, wordings: [
    (s) => (has(s, /wheez/i) ? undefined : 'Lungs: diffuse expiratory wheezes.'),
    (s) => (has(s, /crackles|rales/i) ? undefined : 'Bibasilar rales on auscultation.'),
    (s) => (has(s, /edema|swelling/i) ? undefined : 'Ext: 2+ pitting edema to the knees.'),
    (s) => (has(s, /jaundice|icter/i) ? undefined : 'Skin: jaundiced, with scleral icterus.'),
    (s) => (has(s, /murmur/i) ? undefined : 'CV: grade 2/6 systolic murmur at the apex.'),
  ] },
  { name: 'true: normal exam denying findings the record lacks', truthful: true, wordings: [
    (s) => (has(s, /wheez|crackles|rales|rhonchi/i) ? undefined : 'Lungs: clear, no wheezes, rales or rhonchi.'),
    (s) => (has(s, /edema|cyanosis|clubbing/i) ? undefined : 'Ext: no cyanosis, clubbing or edema.'),
  ] },
  { name: 'true: side of a recorded site in other words', truthful: true, wordings: [
    (s) => { const l = lateral(s); return l && `${capital(l.side)}-sided ${l.site} symptoms, as recorded.`; },
    (s) => { const l = lateral(s); return l && `Exam focused on the ${l.side} ${l.site}.`; },
  ] },
  { name: 'true: count of current medications', truthful: true, wordings: [
    (s) => { const n = currentDrugs(s); return n === 0 ? undefined : `Takes ${n} medications daily.`; },
  ] },
  { name: 'true: no pack-years for a never smoker', truthful: true, wordings: [
    (s) => (smokingLabel(s) === 'Never smoked tobacco' ? 'Never smoker, 0 pack-years.' : undefined),
  ] },
  { name: 'true: brand for a recorded generic', truthful: true, wordings: [
    (s, v) => { for (const f of active(s, 'medication')) { const b = brandOf(f, v); if (b !== undefined) return `Continue ${b}.`; } return undefined; },
  ] },
  { name: 'true: abbreviation of a recorded problem', truthful: true, wordings: [
    (s, v) => { for (const f of active(s, 'problem')) { const a = abbreviationOf(f, v); if (a !== undefined) return `${a} is stable.`; } return undefined; },
  ] },
  { name: 'true: temperature in °F', truthful: true, wordings: [
    (s) => { const t = vital(s, 'vital.bodyTemperature'); return t && `Temp ${((t.value! * 9) / 5 + 32).toFixed(1)} F.`; },
  ] },
  { name: 'true: weight in lb', truthful: true, wordings: [
    (s) => { const w = vital(s, 'vital.bodyWeight'); return w && `Weight ${(w.value! * 2.2046226).toFixed(1)} lb.`; },
  ] },
  { name: 'true: diagnosis year', truthful: true, wordings: [
    (s) => { const p = datedProblem(s); return p && `${pronoun(s)} was diagnosed with ${p.label.toLowerCase()} in ${year(p.date!)}.`; },
    (s) => { const p = datedProblem(s); return p && `${p.label} was diagnosed ${year(s.encounter.date) - year(p.date!)} years ago.`; },
  ] },
  { name: 'true: procedure by its chart name', truthful: true, wordings: [
    (s) => (has(s, /Plain (?:chest X-ray|X-ray of chest)/) ? 'CXR reviewed.' : has(s, /Electrocardiographic/) ? 'ECG reviewed.' : has(s, /Colonoscopy/) ? 'Colonoscopy reviewed.' : undefined),
  ] },
  { name: 'true: smoking status in other words', truthful: true, wordings: [
    (s) => { const l = s.facts.find((f) => f.id === 'social.smoking')?.label; return l === 'Never smoked tobacco' ? 'Lifelong nonsmoker.' : l === 'Ex-smoker' ? 'Former smoker.' : l === undefined ? undefined : 'Current smoker.'; },
  ] },
  { name: 'true: vaccine by its common name', truthful: true, wordings: [
    (s) => { const f = s.facts.find((x) => x.kind === 'immunization' && /^Influenza/.test(x.label)); return f && 'Flu shot given today.'; },
    (s) => { const f = s.facts.find((x) => x.kind === 'immunization' && /^Tdap/.test(x.label)); return f && 'Boostrix given today.'; },
    (s) => { const f = s.facts.find((x) => x.kind === 'immunization' && /^HPV/.test(x.label)); return f && 'Gardasil dose given.'; },
  ] },
  { name: 'true: season or month of a recorded event', truthful: true, wordings: [
    (s) => {
      const ref = s.encounter.date;
      for (const f of s.facts) {
        if (f.date === undefined || f.kind === 'vital' || f.kind === 'lab' || f.kind === 'encounter' || f.date >= ref) continue;
        const phrase = seasonPhrase(f.date, ref);
        if (phrase !== undefined && (f.kind === 'problem' || f.kind === 'procedure')) return `${f.label} was recorded ${phrase}.`;
      }
      return undefined;
    },
  ] },
  { name: 'true: supported pertinent negative', truthful: true, wordings: [
    (s) => { const n = s.negatives.find((x) => x.startsWith('denies ')); return n && `${n[0]!.toUpperCase()}${n.slice(1)}.`; },
  ] },
];

/** The note a fluent model writes from the sheet: every fact in prose, each cited. */
export function fluentNote(sheet: FactSheet): NoteOutput {
  const mentions: NoteMention[] = [];
  const cite = (text: string, fact: Fact) => {
    mentions.push({ text, factId: fact.id });
    return text;
  };
  const { patient, encounter } = sheet;
  const noun = patient.age < 18 ? (patient.sex === 'female' ? 'girl' : 'boy') : patient.sex === 'female' ? 'woman' : 'man';
  const by = (kind: Fact['kind']) => sheet.facts.filter((f) => f.kind === kind);
  const problems = by('problem').map((f) => cite(f.label, f) + (f.status === 'active' || f.status === undefined ? '' : ` (${f.status})`) + (f.date === undefined ? '' : ` (diagnosed ${f.date.slice(0, 4)})`));
  const meds = by('medication').filter((f) => f.status === 'active').map((f) => cite(f.label, f));
  const allergies = by('allergy').map((f) => cite(f.label, f));
  const vitals = by('vital').map((f) => {
    const v = f.components !== undefined ? f.components.map((c) => c.value).join('/') : `${f.value}`;
    return cite(`${f.label} ${v}`, f);
  });
  const labs = by('lab').map((f) => cite(`${f.label} ${f.value} ${f.unit}`, f));
  const procedures = by('procedure').map((f) => `${cite(f.label, f)} (${f.date})`);
  const vaccines = by('immunization').map((f) => cite(f.label, f));
  const smoking = sheet.facts.find((f) => f.id === 'social.smoking');
  const p = pronoun(sheet);
  const sections = [
    { heading: 'HPI', text: `${patient.name} is a ${patient.age}-year-old ${noun} seen on ${encounter.date} for ${encounter.reason ?? encounter.type.toLowerCase()}. ${p} reports no new concerns.` },
    { heading: 'Past Medical History', text: problems.length === 0 ? 'None recorded.' : problems.join('; ') },
    { heading: 'Medications', text: meds.length === 0 ? 'None.' : meds.join('; ') },
    { heading: 'Allergies', text: allergies.length === 0 ? (sheet.negatives.includes('NKDA') ? 'NKDA' : 'None recorded') : allergies.join('; ') },
    ...(smoking === undefined ? [] : [{ heading: 'Social History', text: cite(smoking.label, smoking) }]),
    { heading: 'Objective', text: [vitals.join(', '), labs.join('; ')].filter((x) => x !== '').join('\n') || 'Not recorded.' },
    ...(procedures.length === 0 ? [] : [{ heading: 'Procedures', text: procedures.join('; ') }]),
    ...(vaccines.length === 0 ? [] : [{ heading: 'Immunizations', text: `Given today: ${vaccines.join(', ')}` }]),
    { heading: 'Assessment and Plan', text: `Continue current care. ${p} will follow up as scheduled.` },
  ];
  return { title: 'Clinic Note', sections, mentions };
}

/** The fluent note with one planted statement added to its assessment. */
export function plantedNote(sheet: FactSheet, statement: string): NoteOutput {
  const note = fluentNote(sheet);
  return {
    ...note,
    sections: note.sections.map((s) => (s.heading === 'Assessment and Plan' ? { ...s, text: `${statement} ${s.text}` } : s)),
  };
}

const SEASON_START: Readonly<Record<string, number>> = { spring: 3, summer: 6, fall: 9, winter: 12 };

/** "last spring" when the date lies in the latest complete spring before the reference date (and so on). */
function seasonPhrase(date: string, reference: string): string | undefined {
  const [ry, rm] = reference.split('-').map(Number) as [number, number];
  for (const [season, first] of Object.entries(SEASON_START)) {
    // Seasons are three calendar months; the latest one that ended before the reference month.
    let y = ry;
    const endMonth = (m: number) => m + 2;
    while (y * 12 + endMonth(first) >= ry * 12 + rm) y -= 1;
    const startKey = y * 12 + first;
    const [dy, dm] = date.split('-').map(Number) as [number, number];
    const key = dy * 12 + dm;
    if (key >= startKey && key <= startKey + 2) return `last ${season}`;
  }
  return undefined;
}

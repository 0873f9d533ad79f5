/**
 * Issue 13, a clinician's third read of the template notes: each test fails on one defect found
 * there (a 7-day-old "negative for headache, palpitations"; "RRR ... RRR" in one exam; "next doses"
 * after a flu shot; a patient naming "Influenza, split virus, trivalent, PF"; a fasting glucose of
 * 111 (H) no plan speaks to; respiratory infections sent home without discharge instructions;
 * prenatal notes without gestational age, fundal height or fetal heart rate).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { toSeed } from '../../../src/core/random.js';
import type { IsoDate } from '../../../src/core/time.js';
import { explainingProblem } from '../../../src/knowledge/assessment-evidence.js';
import { vaccineCourse, vaccineLayNames } from '../../../src/knowledge/immunizations.js';
import { presentationsByCode } from '../../../src/knowledge/presentations.js';
import { rosBand } from '../../../src/knowledge/review-of-systems.js';
import { buildFactSheet } from '../../../src/notes/fact-sheet.js';
import type { FactSheet, NoteType } from '../../../src/notes/facts.js';
import { checkNote } from '../../../src/notes/grounding/check-note.js';
import { loadVocabulary, type Vocabulary } from '../../../src/notes/grounding/vocabulary.js';
import { noteToText, type NoteOutput } from '../../../src/notes/note-output.js';
import { examConcepts } from '../../../src/notes/template/history.js';
import { factsOf } from '../../../src/notes/template/sections.js';
import { nextDoseLine } from '../../../src/notes/template/portal-message.js';
import { Chooser } from '../../../src/notes/template/chooser.js';
import { writeTemplateNote } from '../../../src/notes/template/template-writer.js';
import type { Encounter, PatientRecord } from '../../../src/record/types.js';
import { createCohortContext, simulateIndex } from '../../../src/timeline/cohort.js';

interface Written {
  readonly record: PatientRecord;
  readonly sheet: FactSheet;
  readonly text: string;
  readonly mentions: NoteOutput['mentions'];
  readonly ageYears: number;
  readonly violations: string[];
}

let written: Written[] = [];
let vocabulary: Vocabulary;

function noteTypesOf(e: Encounter, record: PatientRecord): NoteType[] {
  if (e.class === 'EMER') return ['ed-note'];
  if (e.class === 'IMP') return ['history-and-physical', 'discharge-summary'];
  const shots = record.immunizations.some((i) => i.encounterId === e.id);
  return shots ? ['progress-note', 'portal-message'] : ['progress-note'];
}

/** Notes of infants and children, of women of childbearing age, and of older adults (respiratory stays). */
beforeAll(async () => {
  vocabulary = await loadVocabulary();
  const groups = [
    { seed: 41, age: { min: 0, max: 1 }, gender: undefined, n: 30 },
    { seed: 42, age: { min: 2, max: 11 }, gender: undefined, n: 25 },
    { seed: 43, age: { min: 22, max: 38 }, gender: 'female' as const, n: 30 },
    { seed: 44, age: { min: 65, max: 90 }, gender: undefined, n: 30 },
  ];
  const records: PatientRecord[] = [];
  for (const g of groups) {
    const ctx = createCohortContext({ seed: toSeed(g.seed), referenceDate: '2025-06-01' as IsoDate, age: g.age, gender: g.gender, state: undefined });
    for (let i = 0; i < g.n; i++) records.push(...simulateIndex(ctx, i));
  }
  written = records.flatMap((record) =>
    record.encounters
      .filter((e) => e.start >= Date.parse('2017-01-01'))
      .flatMap((encounter) =>
        noteTypesOf(encounter, record).map((noteType) => {
          const practitioner = record.providers.practitioners.find((p) => p.id === encounter.practitionerId);
          const authorName = practitioner === undefined ? 'Alex Smith' : `${practitioner.givenNames[0]} ${practitioner.familyName}`;
          const sheet = buildFactSheet(record, encounter, { authorName, noteType, vocabulary, ...(noteType === 'portal-message' ? { noteTime: encounter.end + 86_400_000 } : {}) });
          const note = writeTemplateNote(sheet, `${record.id}|${encounter.id}|${noteType}`);
          return {
            record,
            sheet,
            text: noteToText(note),
            mentions: note.mentions,
            ageYears: (encounter.start - record.demographics.birthTime) / (365.25 * 86_400_000),
            violations: checkNote(note, sheet, vocabulary).map((v) => `${v.code}: ${v.message}`),
          };
        }),
      ),
  );
}, 540_000);

/** The text of a section by any of its headings (up to the next heading line). */
function section(text: string, headings: RegExp): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let inside = false;
  for (const line of lines) {
    const h = /^([A-Za-z&/ ]{1,40}):$/.exec(line.trim());
    if (h !== null) inside = headings.test(h[1]!);
    else if (inside) out.push(line);
  }
  return out.join('\n');
}

const ofType = (t: NoteType): Written[] => written.filter((w) => w.sheet.encounter.noteType === t);

describe('issue 13, a clinician’s third read', () => {
  it('writes notes of every kind judged here, all grounded', () => {
    expect(written.length).toBeGreaterThan(1000);
    expect(written.filter((w) => w.violations.length > 0).map((w) => `${w.violations.join('; ')} :: ${w.text.slice(0, 300)}`)).toEqual([]);
  });

  it('asks a newborn about feeding and wet diapers, never headache or palpitations (ROS by age band, as data)', () => {
    expect(rosBand(7 / 365.25).routine).toEqual(expect.arrayContaining(['poor feeding', 'fewer wet diapers', 'jaundice', 'fever', 'excessive fussiness']));
    expect(rosBand(7 / 365.25).routine).not.toContain('headache');
    expect(rosBand(3).unreportable).toContain('chest pain');
    const adultWords = /\b(?:palpitations|leg swelling|night sweats|blurred vision|weight loss)\b/i;
    const preverbal = /\b(?:headache|chest pain|dizziness|dysuria|shortness of breath|nausea|abdominal pain)\b/i;
    const children = written.filter((w) => w.ageYears < 12 && w.sheet.encounter.noteType !== 'portal-message');
    expect(children.length).toBeGreaterThan(300);
    const bad = children.filter((w) => {
      const denied = [section(w.text, /^(?:Review of Systems|ROS)$/i), ...w.text.split(/(?<=\.)\s+/).filter((s) => /^(?:Denies|Patient denies|He denies|She denies|No |Family denies|Negative for|Neg for|\(-\))/.test(s.trim()))].join(' ');
      return adultWords.test(denied) || (w.ageYears < 5 && preverbal.test(denied));
    });
    expect(bad.map((w) => `${w.ageYears.toFixed(2)}: ${section(w.text, /^(?:Review of Systems|ROS)$/i)}`)).toEqual([]);
    const infantRos = written.filter((w) => w.ageYears < 1 && w.sheet.encounter.noteType === 'progress-note').map((w) => section(w.text, /^(?:Review of Systems|ROS)$/i)).filter((r) => r.trim() !== '');
    expect(infantRos.length).toBeGreaterThan(10);
    expect(infantRos.filter((r) => /feed|diaper|stool/i.test(r)).length).toBeGreaterThan(infantRos.length / 2);
  });

  it('says each thing once in an exam ("RRR" after "Regular rate and rhythm" is a repeat)', () => {
    const exams = written.map((w) => ({ exam: section(w.text, /^(?:Physical Exam|Physical Examination|PE|Exam)$/i), findings: w.sheet.facts.filter((f) => f.kind === 'finding').map((f) => f.label) })).filter((e) => e.exam.trim() !== '');
    expect(exams.length).toBeGreaterThan(500);
    const repeated = exams.filter(({ exam, findings }) => {
      // The presentation's own findings may speak of both ears; the normal phrases around them may not repeat.
      const phrases = exam.split(/[.;\n]|: /).filter((p) => p.trim() !== '' && !findings.some((f) => f.includes(p.trim()) || p.includes(f)));
      const seen = new Map<string, number>();
      for (const p of phrases) for (const k of examConcepts(p)) seen.set(k, (seen.get(k) ?? 0) + 1);
      const labels = [...exam.matchAll(/(?:^|\n|\. )([A-Z][A-Za-z]{1,15}): /g)].map((m) => m[1]);
      return [...seen.values()].some((n) => n > 1) || new Set(labels).size !== labels.length;
    });
    expect(repeated.map((e) => e.exam)).toEqual([]);
  });

  it('answers a vaccine question by the vaccine’s course: a flu shot is one dose a season, not "next doses"', () => {
    expect(vaccineCourse('140', '2019-10-01', undefined)).toEqual({ kind: 'seasonal' });
    expect(vaccineCourse('08', '2019-10-01', 1)).toEqual({ kind: 'series', dose: 1, of: 3 });
    expect(vaccineCourse('33', '2019-10-01', undefined)).toEqual({ kind: 'single' });
    expect(nextDoseLine({ kind: 'seasonal' }, new Chooser('x'))).not.toMatch(/next doses|series/);
    expect(nextDoseLine({ kind: 'series', dose: 3, of: 3 }, new Chooser('x'))).toMatch(/series/);
    const portal = ofType('portal-message').filter((w) => w.sheet.facts.some((f) => f.kind === 'immunization'));
    expect(portal.length).toBeGreaterThan(30);
    const wrong = portal.filter((w) => {
      const given = w.sheet.facts.find((f) => f.kind === 'immunization')!;
      const continues = given.course?.kind === 'series' && (given.course.dose === undefined || given.course.dose < given.course.of);
      return !continues && /next doses|next dose in the series|rest of the series/i.test(w.text);
    });
    expect(wrong.map((w) => w.text.slice(w.text.indexOf('From'), w.text.indexOf('From') + 400))).toEqual([]);
    const shotVisits = ofType('progress-note').filter((w) => w.sheet.facts.some((f) => f.kind === 'immunization') && w.sheet.facts.filter((f) => f.kind === 'immunization').every((f) => f.course?.kind === 'seasonal'));
    expect(shotVisits.filter((w) => /next doses/i.test(w.text)).map((w) => w.text.slice(-400))).toEqual([]);
  });

  it('lets patients name a vaccine as patients do ("flu shot"), never by its CVX description', () => {
    expect(vaccineLayNames('150')?.[0]).toBe('flu shot');
    const portal = ofType('portal-message').filter((w) => w.sheet.facts.some((f) => f.kind === 'immunization') && /\bgot the\b/.test(w.text));
    expect(portal.length).toBeGreaterThan(30);
    const cvxWords = portal.filter((w) => {
      const message = w.text.slice(w.text.indexOf('From '), w.text.search(/\n(?:Reply|Response from care team|Clinic response):/));
      const given = w.sheet.facts.find((f) => f.kind === 'immunization')!;
      return !(given.synonyms ?? []).some((lay) => message.includes(lay)) || /,\s*(?:split virus|preservative free|PF|mRNA|adsorbed|pentavalent|quadrivalent|trivalent)\b/.test(message);
    });
    expect(cvxWords.map((w) => w.text.slice(w.text.indexOf('From'), w.text.indexOf('From') + 200))).toEqual([]);
  });

  it('addresses every abnormal result a progress note cites, or does not cite it', () => {
    const notes = ofType('progress-note');
    const unaddressed: string[] = [];
    let cited = 0;
    for (const w of notes) {
      const labs = section(w.text, /Lab|^Data$|Results/i);
      const plan = section(w.text, /Assessment|Plan|^A\/P$/i);
      for (const f of w.sheet.facts) {
        if (f.kind !== 'lab' || f.value === undefined || f.range === undefined || (f.value <= f.range.high && f.value >= f.range.low)) continue;
        const value = Number.isInteger(f.value) ? String(f.value) : f.value.toFixed(1);
        if (!new RegExp(`(?<![\\d.])${value.replace('.', '\\.')}(?![\\d])`).test(labs)) continue;
        cited++;
        if (!plan.includes(value)) unaddressed.push(`${f.label} ${value} :: ${plan.slice(0, 200)}`);
      }
    }
    expect(cited).toBeGreaterThan(50);
    expect(unaddressed).toEqual([]);
  });

  it('reads an abnormal result a known problem explains as that problem, not as a finding to confirm', () => {
    // "Elevated glucose 187 mg/dL: repeat fasting glucose to confirm" in a patient with diabetes since 1974.
    const wrong: string[] = [];
    let explained = 0;
    for (const w of ofType('progress-note')) {
      const plan = section(w.text, /Assessment|Plan|^A\/P$/i);
      const problems = factsOf(w.sheet, 'problem');
      for (const f of w.sheet.facts) {
        if (f.kind !== 'lab' || f.value === undefined || f.range === undefined || (f.value <= f.range.high && f.value >= f.range.low)) continue;
        const known = explainingProblem(f.code?.code, problems.map((p) => p.label));
        if (known === undefined) continue;
        // The results pass's sentences that state this fact (by the writer's own mention text).
        const said = w.mentions.filter((m) => m.factId === f.id).map((m) => m.text);
        const sentences = plan.split(/(?<=\.)\s+|\n/).filter((x) => /^(?:\d+\.\s*)?(?:Elevated|Low|Abnormal) /.test(x) && said.some((t) => x.includes(t)));
        if (sentences.length === 0) continue;
        explained++;
        const name = problems[known.problem]!.label.toLowerCase();
        // The problem is named, and nothing before it asks to confirm the result (after it, albuminuria is confirmed by protocol).
        const named = sentences.some((x) => {
          const [before, after] = x.toLowerCase().split(name);
          return after !== undefined && !/confirm|repeat|recheck/.test(before ?? '');
        });
        if (!named) wrong.push(`${sentences.join(' | ')} [${problems[known.problem]!.label}]`);
      }
    }
    expect(explained).toBeGreaterThan(10);
    expect(wrong).toEqual([]);
  });

  it('gives pneumonia, influenza and COVID-19 discharge instructions, with their source, after a stay or an ED visit home', () => {
    for (const code of ['233604007', '6142004', '840539006']) {
      const d = presentationsByCode().get(code)?.discharge;
      expect(d?.fromEd).toBe(true);
      expect(d?.instructions.some((l) => /^Return\b/.test(l))).toBe(true);
      expect(d?.source.length).toBeGreaterThan(40);
    }
    const respiratory = written.filter(
      (w) =>
        ['233604007', '6142004', '840539006'].includes(w.sheet.facts.find((f) => f.id === w.sheet.encounter.reasonFactId)?.code?.code ?? '') &&
        (w.sheet.encounter.noteType === 'discharge-summary' || (w.sheet.encounter.noteType === 'ed-note' && /home/i.test(w.sheet.encounter.disposition ?? ''))) &&
        w.sheet.facts.some((f) => f.kind === 'symptom'),
    );
    expect(respiratory.length).toBeGreaterThan(0);
    expect(respiratory.filter((w) => !/Discharge instructions|Instructions at discharge/.test(w.text) || !/Return at once for/.test(w.text)).map((w) => w.text.slice(-700))).toEqual([]);
  });

  it('gives a prenatal visit its gestational age from the pregnancy’s dates, fundal height after 20 weeks (GA ± 2 cm) and fetal heart rate', () => {
    const prenatal = ofType('progress-note').filter((w) => /prenatal/i.test(w.sheet.encounter.type) && w.sheet.facts.some((f) => f.id === 'prenatal.gestationalAge'));
    expect(prenatal.length).toBeGreaterThan(40);
    for (const w of prenatal) {
      const ga = w.sheet.facts.find((f) => f.id === 'prenatal.gestationalAge')!.value!;
      const weeks = Math.floor(ga + 1e-6);
      expect(w.text).toMatch(new RegExp(`\\b${weeks} weeks(?: \\d days?)?`));
      const fh = w.sheet.facts.find((f) => f.id === 'prenatal.fundalHeight');
      if (ga >= 20) {
        expect(fh).toBeDefined();
        expect(Math.abs(fh!.value! - weeks)).toBeLessThanOrEqual(2);
        expect(w.text).toMatch(new RegExp(`(?:Fundal height|FH) ${fh!.value} cm`));
      } else expect(fh).toBeUndefined();
      const fhr = w.sheet.facts.find((f) => f.id === 'prenatal.fetalHeartRate');
      if (ga >= 12) {
        expect(fhr!.value).toBeGreaterThanOrEqual(110);
        expect(fhr!.value).toBeLessThanOrEqual(160);
        expect(w.text).toMatch(new RegExp(`(?:Fetal heart rate|FHR) ${fhr!.value} bpm`));
      }
    }
    expect(prenatal.filter((w) => w.violations.length > 0).map((w) => w.violations)).toEqual([]);
  });

  it('states the fundal height and fetal heart rate the record charts: the value of the visit’s exam Observation, cited by its id', () => {
    const prenatal = ofType('progress-note').filter((w) => w.sheet.facts.some((f) => f.id === 'prenatal.fundalHeight'));
    expect(prenatal.length).toBeGreaterThan(20);
    for (const w of prenatal) {
      for (const [factId, kind] of [['prenatal.fundalHeight', 'fundalHeight'], ['prenatal.fetalHeartRate', 'fetalHeartRate']] as const) {
        const fact = w.sheet.facts.find((f) => f.id === factId)!;
        const charted = w.record.prenatalExams.filter((o) => o.encounterId === w.sheet.encounter.id && o.kind === kind);
        expect(charted).toHaveLength(1);
        expect(fact.resourceId).toBe(charted[0]!.id);
        expect(fact.value).toBe(charted[0]!.value);
      }
    }
  });

  it('rejects a prenatal note that states a fundal height or gestational age the sheet does not hold', () => {
    const w = ofType('progress-note').find((x) => x.sheet.facts.some((f) => f.id === 'prenatal.fundalHeight'))!;
    const fh = w.sheet.facts.find((f) => f.id === 'prenatal.fundalHeight')!;
    const wrong = w.text.replace(new RegExp(`((?:Fundal height|FH) )${fh.value}( cm)`), `$1${fh.value! + 6}$2`);
    expect(wrong).not.toBe(w.text);
    const note = { title: 'Progress Note', sections: [{ heading: 'Note', text: wrong }], mentions: [] };
    expect(checkNote(note, w.sheet, vocabulary).some((v) => v.code === 'number-mismatch')).toBe(true);
  });
});

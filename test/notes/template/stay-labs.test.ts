import { beforeAll, describe, expect, it } from 'vitest';
import { stageText } from '../../../src/notes/clinical-facts.js';
import { buildFactSheet } from '../../../src/notes/fact-sheet.js';
import { renderFactSheet } from '../../../src/notes/fact-sheet-text.js';
import type { Fact, FactSheet, NoteType } from '../../../src/notes/facts.js';
import { checkNote } from '../../../src/notes/grounding/check-note.js';
import { loadVocabulary, type Vocabulary } from '../../../src/notes/grounding/vocabulary.js';
import { noteToText, type NoteOutput } from '../../../src/notes/note-output.js';
import { writeTemplateNote } from '../../../src/notes/template/template-writer.js';
import type { Encounter, PatientRecord } from '../../../src/record/types.js';
import { createCohortContext, simulateIndex } from '../../../src/timeline/cohort.js';
import { toSeed } from '../../../src/core/random.js';
import type { IsoDate } from '../../../src/core/time.js';

interface Written {
  readonly record: PatientRecord;
  readonly encounter: Encounter;
  readonly noteType: NoteType;
  readonly sheet: FactSheet;
  readonly note: NoteOutput;
  readonly text: string;
  readonly violations: string[];
}

let vocabulary: Vocabulary;
let written: Written[] = [];
let records: PatientRecord[] = [];

/** Delivery admissions (women 22-42) and acute-illness admissions (adults 65-95), from 1990 on. */
beforeAll(async () => {
  vocabulary = await loadVocabulary();
  const cohorts = [
    { seed: 31, age: { min: 22, max: 42 }, gender: 'female' as const, n: 70 },
    { seed: 32, age: { min: 65, max: 95 }, gender: undefined, n: 260 },
  ];
  for (const k of cohorts) {
    const ctx = createCohortContext({ seed: toSeed(k.seed), referenceDate: '2025-06-01' as IsoDate, age: k.age, gender: k.gender, state: undefined });
    for (let i = 0; i < k.n; i++) records.push(...simulateIndex(ctx, i));
  }
  written = records.flatMap((record) =>
    record.encounters
      .filter((e) => e.class === 'IMP' && ['305408004', '183452005'].includes(e.type.code) && e.start >= Date.UTC(1990, 0, 1))
      .flatMap((encounter) => {
        const practitioner = record.providers.practitioners.find((p) => p.id === encounter.practitionerId)!;
        return (['history-and-physical', 'discharge-summary'] as const).map((noteType) => {
          const sheet = buildFactSheet(record, encounter, { authorName: `${practitioner.givenNames[0]} ${practitioner.familyName}`, noteType, vocabulary, ...(noteType === 'discharge-summary' ? { noteTime: encounter.end } : {}) });
          const note = writeTemplateNote(sheet, `${record.id}|${encounter.id}|${noteType}`);
          return { record, encounter, noteType, sheet, note, text: noteToText(note), violations: checkNote(note, sheet, vocabulary).map((v) => v.message) };
        });
      }),
  );
});

const stayResultIds = (w: Written): Set<string> => new Set(w.record.labReports.filter((l) => l.encounterId === w.encounter.id).flatMap((l) => l.results.map((x) => x.id)));
const labs = (w: Written): Fact[] => w.sheet.facts.filter((f) => f.kind === 'lab');

describe('notes of acute-illness and delivery stays', () => {
  it('are grounded: 0 rejections', () => {
    expect(written.length).toBeGreaterThan(60);
    expect(written.filter((w) => w.violations.length > 0).map((w) => `${w.violations.join('; ')}\n${w.text.slice(0, 500)}`)).toEqual([]);
  });

  it('cite a lab result of their own stay (H&Ps and discharge summaries alike)', () => {
    for (const w of written) {
      const ids = stayResultIds(w);
      const cited = w.note.mentions.map((m) => labs(w).find((f) => f.id === m.factId)).filter((f): f is Fact => f !== undefined);
      expect(cited.some((f) => ids.has(f.resourceId!)), `${w.noteType}\n${w.text.slice(0, 400)}`).toBe(true);
    }
  });

  it('H&Ps are written on admission: no lab drawn after the stay\'s first ward draw', () => {
    for (const w of written.filter((x) => x.noteType === 'history-and-physical')) {
      const first = Math.min(...w.record.labReports.filter((l) => l.encounterId === w.encounter.id).map((l) => l.time));
      const timeOf = new Map(w.record.labReports.flatMap((l) => l.results.map((x) => [x.id, l.time] as const)));
      for (const f of labs(w)) expect(timeOf.get(f.resourceId!)!).toBeLessThanOrEqual(first);
      for (const f of labs(w)) expect(f.firstOfStay).toBeUndefined();
    }
  });

  it('discharge summaries say how a value moved ("WBC 7.5, down from 15.3 on admission"), from the stay\'s first result', () => {
    const summaries = written.filter((x) => x.noteType === 'discharge-summary');
    let trended = 0;
    for (const w of summaries) {
      for (const f of labs(w).filter((x) => x.firstOfStay !== undefined)) {
        const first = w.record.labReports.flatMap((l) => l.results).find((x) => x.id === f.firstOfStay!.resourceId)!;
        expect(first.value).toBe(f.firstOfStay!.value);
        expect(first.code.code).toBe(f.code!.code);
      }
      if (/(?:down|up|decreased|increased) from \d+(?:\.\d)?(?:%| \S+)? (?:on|at) (?:admission|arrival)/.test(w.text)) trended++;
    }
    expect(trended / summaries.length).toBeGreaterThan(0.6);
    // A delivery's summary trends the hemoglobin it lost.
    const deliveries = summaries.filter((w) => w.encounter.type.code === '305408004');
    expect(deliveries.length).toBeGreaterThan(10);
    expect(deliveries.filter((w) => /(?:Hgb|hemoglobin) \d+(?:\.\d)? g\/dL,? \(?(?:down|decreased) from \d+(?:\.\d)? g\/dL/.test(w.text)).length / deliveries.length).toBeGreaterThan(0.6);
  });

  it('write a trend as a clinician does: "Serial labs: hemoglobin 8.8 g/dL, down from 10.7 g/dL on admission."', () => {
    const summaries = written.filter((x) => x.noteType === 'discharge-summary');
    let sentences = 0;
    for (const w of summaries) {
      const trend = /(?:Serial labs|Lab trend|Trended labs|On serial labs): [^\n]*?\. /.exec(w.text)?.[0];
      expect(w.text).not.toContain('On serial labs');
      if (trend === undefined) continue;
      sentences++;
      // Every move says its direction, and the starting value carries its unit as the latest does.
      expect(trend, trend).not.toMatch(/(?:^|[,;(]) ?from \d/);
      for (const f of labs(w).filter((x) => x.firstOfStay !== undefined && x.unit !== undefined && !['1', '{ratio}'].includes(x.unit))) {
        const start = String(Number.isInteger(f.firstOfStay!.value) ? f.firstOfStay!.value : f.firstOfStay!.value.toFixed(1));
        if (new RegExp(`from ${start.replace('.', '\\.')} (?:on|at)`).test(trend)) throw new Error(`no unit after ${start}: ${trend}`);
      }
      // A lab whose name is a word is lower-cased mid-sentence ("hemoglobin", "glucose"); abbreviations keep their letters.
      expect(trend, trend).not.toMatch(/(?:: |; (?:and )?)[A-Z][a-z]{3,} \d/);
    }
    expect(sentences).toBeGreaterThan(10);
  });
});

describe('the length of a stay', () => {
  it('is counted in midnights, as the hospital day of discharge is: LOS N days, discharged on hospital day N + 1', () => {
    let both = 0;
    for (const w of written.filter((x) => x.noteType === 'discharge-summary')) {
      const los = /(?:Length of stay|LOS): (\d+) days?/.exec(w.text);
      const day = /on hospital day (\d+)\./.exec(w.text);
      // A stay begun and ended the same day is charted as 1 day, on hospital day 1.
      if (los === null || day === null || w.sheet.encounter.date === w.sheet.encounter.endDate) continue;
      both++;
      expect(Number(day[1]), w.text.slice(0, 300)).toBe(Number(los[1]) + 1);
    }
    expect(both).toBeGreaterThan(10);
  });
});

describe('grounding of a stay\'s labs', () => {
  it('accepts the first and the latest result of a test, nothing else', () => {
    const w = written.find((x) => x.noteType === 'discharge-summary' && labs(x).some((f) => f.firstOfStay !== undefined && Math.abs(f.firstOfStay.value - f.value!) >= 1))!;
    const f = labs(w).find((x) => x.firstOfStay !== undefined && Math.abs(x.firstOfStay.value - x.value!) >= 1)!;
    const note = (value: number): NoteOutput => ({ title: 'Discharge Summary', sections: [{ heading: 'Hospital Course', text: `${f.label} ${value} on admission.` }], mentions: [{ text: `${f.label} ${value}`, factId: f.id }] });
    const mismatches = (value: number) => checkNote(note(value), w.sheet, vocabulary).filter((v) => v.code === 'number-mismatch');
    expect(mismatches(f.value!)).toEqual([]);
    expect(mismatches(f.firstOfStay!.value)).toEqual([]);
    const neither = Math.max(f.value!, f.firstOfStay!.value) + 5;
    expect(mismatches(neither).length).toBeGreaterThan(0);
  });
});

describe('tumour stage', () => {
  it('is written as oncology notes write it, from the summary stage coding', () => {
    expect(stageText('Stage 2 (qualifier value)')).toBe('stage II');
    expect(stageText('Stage 4 (qualifier value)')).toBe('stage IV');
    expect(stageText('Tumor size (observable entity)')).toBeUndefined();
  });

  it('is on the fact sheet, its text and the template assessment once assessed, and not before', async () => {
    const ctx = createCohortContext({ seed: toSeed(33), referenceDate: '2025-06-01' as IsoDate, age: { min: 60, max: 85 }, gender: undefined, state: undefined });
    const staged: { record: PatientRecord; condition: PatientRecord['conditions'][number] }[] = [];
    for (let i = 0; i < 400 && staged.length < 6; i++) for (const record of simulateIndex(ctx, i)) for (const c of record.conditions) if (c.stage !== undefined) staged.push({ record, condition: c });
    expect(staged.length).toBeGreaterThan(2);
    let assessed = 0;
    for (const { record, condition } of staged) {
      const stage = stageText(condition.stage!.summary.display)!;
      for (const e of record.encounters.filter((x) => x.class === 'AMB' && x.start >= condition.recorded)) {
        const practitioner = record.providers.practitioners.find((p) => p.id === e.practitionerId)!;
        const sheet = buildFactSheet(record, e, { authorName: `${practitioner.givenNames[0]} ${practitioner.familyName}`, noteType: 'progress-note', vocabulary });
        const problem = sheet.facts.find((f) => f.resourceId === condition.id);
        if (problem === undefined) continue;
        if (e.end < condition.stage!.assessed) {
          expect(problem.stage).toBeUndefined();
          continue;
        }
        expect(problem.stage).toBe(stage);
        expect(renderFactSheet(sheet).split('\n').find((l) => l.startsWith(`- [${problem.id}] `))).toContain(`; ${stage};`);
        const note = writeTemplateNote(sheet, `${record.id}|${e.id}|stage`);
        expect(checkNote(note, sheet, vocabulary).map((v) => v.message)).toEqual([]);
        const text = noteToText(note);
        if (text.includes(problem.label)) assessed += text.includes(stage) ? 1 : 0;
      }
    }
    expect(assessed).toBeGreaterThan(0);
  });
});

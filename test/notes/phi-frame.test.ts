import { beforeAll, describe, expect, it } from 'vitest';
import { normalizeText } from '../../src/dedup/normalize.js';
import { buildFactSheet } from '../../src/notes/fact-sheet.js';
import { NOTE_TYPES, type FactSheet, type NoteType } from '../../src/notes/facts.js';
import { checkNote } from '../../src/notes/grounding/check-note.js';
import { loadVocabulary, type Vocabulary } from '../../src/notes/grounding/vocabulary.js';
import { noteToText, type NoteOutput } from '../../src/notes/note-output.js';
import { frameNote, noteFrame, type NoteFrame } from '../../src/notes/phi/note-frame.js';
import { notePhi } from '../../src/notes/phi/note-phi.js';
import { PHI_TYPES } from '../../src/notes/phi/phi-tags.js';
import { planNotes } from '../../src/notes/selection.js';
import { writeTemplateNote } from '../../src/notes/template/template-writer.js';
import { dateToInstant, type IsoDate } from '../../src/core/time.js';
import type { PatientRecord } from '../../src/record/types.js';
import { createCohortContext, simulateIndex } from '../../src/timeline/cohort.js';
import { toSeed } from '../../src/core/random.js';

const REFERENCE = '2025-06-01' as IsoDate;
interface Item {
  record: PatientRecord;
  sheet: FactSheet;
  note: NoteOutput;
  frame: NoteFrame;
}
let vocabulary: Vocabulary;
const items: Item[] = [];

beforeAll(async () => {
  vocabulary = await loadVocabulary();
  const ctx = createCohortContext({ seed: toSeed(11), referenceDate: REFERENCE, age: undefined, gender: undefined, state: undefined });
  const types = new Set<NoteType>(NOTE_TYPES);
  for (let i = 0; i < 40; i++) {
    for (const record of simulateIndex(ctx, i)) {
      const until = record.death?.time ?? dateToInstant(REFERENCE);
      for (const plan of planNotes(record, { types, since: undefined, until })) {
        const p = record.providers.practitioners.find((x) => x.id === plan.encounter.practitionerId);
        const sheet = buildFactSheet(record, plan.encounter, { authorName: p === undefined ? '' : `${p.givenNames[0]} ${p.familyName}`, noteType: plan.noteType, vocabulary, noteTime: plan.time });
        const frame = noteFrame({ record, encounter: plan.encounter, noteType: plan.noteType, time: plan.time, age: sheet.patient.age });
        items.push({ record, sheet, frame, note: writeTemplateNote(sheet, `${record.id}|${plan.encounter.id}|${plan.noteType}`) });
      }
    }
  }
}, 120_000);

describe('the chart header and footer (PHI as real notes carry it)', () => {
  it('never adds a grounding violation to a note', () => {
    // Consult notes follow referral encounters, which a small cohort rarely has.
    expect(new Set(items.map((i) => i.sheet.encounter.noteType)).size).toBeGreaterThanOrEqual(NOTE_TYPES.length - 1);
    const added: string[] = [];
    for (const item of items) {
      const before = checkNote(item.note, item.sheet, vocabulary).map((v) => v.code).sort();
      const after = checkNote(frameNote(item.note, item.frame), item.sheet, vocabulary).map((v) => v.code).sort();
      if (after.join() !== before.join()) added.push(`${item.sheet.encounter.noteType}: ${after.join()} vs ${before.join()}\n${item.frame.header.text}`);
    }
    expect(added.slice(0, 3)).toEqual([]);
  });

  it('names the primary-care physician from clinic visits, and a consult\'s referrer from the record', () => {
    const name = (r: PatientRecord, id: string | undefined): string | undefined => {
      const p = r.providers.practitioners.find((x) => x.id === id);
      return p === undefined ? undefined : p.familyName;
    };
    let pcp = 0;
    for (const item of items) {
      const line = /\n(PCP|Referring physician): ([^\n]+)/.exec(item.frame.header.text);
      if (line === null) continue;
      const hospitals = new Set(item.record.providers.organizations.filter((o) => o.kind === 'hospital').map((o) => o.id));
      const specialists = item.record.providers.practitioners.filter((p) => hospitals.has(p.organizationId)).map((p) => p.familyName);
      const plan = item.record.encounters.find((e) => e.id === item.sheet.encounter.id)!;
      if (plan.referrerId !== undefined) {
        expect(line[2]).toContain(name(item.record, plan.referrerId)!);
        continue;
      }
      pcp++;
      // A hospital's specialist (the oncologist of last month) is not the patient's PCP.
      for (const family of specialists) if (!item.record.providers.practitioners.some((p) => p.familyName === family && !hospitals.has(p.organizationId))) expect(line[2]).not.toContain(family);
    }
    expect(pcp).toBeGreaterThan(20);
  });

  it('knows every PHI span by construction: offsets select the value, in the i2b2 2014 types, without overlaps', () => {
    const seen = new Set<string>();
    let years = 0;
    for (const item of items) {
      const note = frameNote(item.note, item.frame);
      const text = noteToText(note);
      const spans = notePhi(text, note, item.frame);
      let reach = 0;
      for (const s of spans) {
        expect(text.slice(s.start, s.end)).toBe(s.text);
        expect(s.start).toBeGreaterThanOrEqual(reach);
        reach = s.end;
        seen.add(s.type);
      }
      const mrn = item.record.demographics.mrn.replace(/^MRN/, '');
      expect(spans.some((s) => s.type === 'MEDICALRECORD' && s.text === mrn)).toBe(true);
      // The header's name is one PATIENT span, family and given name together, as i2b2 tags a name.
      const d = item.record.demographics;
      const header = item.frame.header.spans.filter((s) => s.type === 'PATIENT').map((s) => s.text.toLowerCase());
      expect(header).toHaveLength(1);
      expect(header[0]).toContain(d.familyName.toLowerCase());
      expect(header[0]).toContain(d.givenNames[0]!.toLowerCase());
      // A year of diagnosis in the body is a DATE; a four-digit value that no dating word precedes is not.
      for (const m of text.matchAll(/\((?:dx|since) ((?:19|20)\d{2})\)/g)) {
        expect(spans.some((s) => s.type === 'DATE' && s.start === m.index + m[0].indexOf(m[1]!) && s.text === m[1])).toBe(true);
        years++;
      }
    }
    expect(years).toBeGreaterThan(0);
    // Every type but the rare ones a 40-patient cohort may lack.
    const missing = PHI_TYPES.filter((t) => !seen.has(t));
    expect(missing.filter((t) => !['VEHICLE', 'BIOID', 'SSN', 'DEVICE', 'ROOM'].includes(t))).toEqual([]);
  });

  it('never runs a facility name and its department together, nor repeats a specialty the facility is named for', () => {
    const departments = new Set(items.flatMap((i) => i.frame.header.spans.filter((s) => s.type === 'DEPARTMENT').map((s) => s.text)));
    for (const item of items) {
      const text = item.frame.header.text;
      const hospital = item.frame.header.spans.find((s) => s.type === 'HOSPITAL')?.text;
      if (hospital === undefined) continue;
      // "Robel Family Medicine Internal Medicine", "Robel Family Medicine - Family Medicine"
      for (const d of departments) {
        expect(text).not.toContain(`${hospital} ${d}`);
        if (hospital.endsWith(` ${d}`)) expect(text).not.toMatch(new RegExp(`${hospital} - ${d}|${d}, ${hospital}|Dept: ${d}`));
      }
    }
  });

  it('prints no biometric identifier in an H&P header (a real chart carries none)', () => {
    const hp = items.filter((i) => i.sheet.encounter.noteType === 'history-and-physical');
    expect(hp.length).toBeGreaterThan(0);
    for (const item of hp) {
      expect(item.frame.header.text).not.toMatch(/palm|biometric|BIOID/i);
      expect(item.frame.header.spans.some((s) => s.type === 'BIOID')).toBe(false);
    }
  });

  it('drops the ambulance arrival line when the body says the patient came another way, the same for the text and its PHI', () => {
    const ed = items.filter((i) => i.frame.header.arrivalLineAt !== undefined);
    expect(ed.length).toBeGreaterThan(0);
    for (const item of ed) {
      for (const [words, ambulance] of [['Arrives by private vehicle with cough.', false], ['Arrives with cough.', true]] as const) {
        const body = { ...item.note, sections: [{ heading: 'HPI', text: words }] };
        const note = frameNote(body, item.frame);
        const text = noteToText(note);
        const spans = notePhi(text, note, item.frame);
        expect(text.includes('ambulance unit')).toBe(ambulance);
        expect(spans.some((s) => s.type === 'VEHICLE')).toBe(ambulance);
        for (const s of spans) expect(text.slice(s.start, s.end)).toBe(s.text);
      }
    }
  });

  it('is consistent within a patient and varies between facilities', () => {
    const byPatient = new Map<string, Set<string>>();
    const layouts = new Set<string>();
    for (const item of items) {
      const mrns = item.frame.header.spans.filter((s) => s.type === 'MEDICALRECORD').map((s) => s.text);
      const set = byPatient.get(item.record.id) ?? new Set<string>();
      for (const m of mrns) set.add(m);
      byPatient.set(item.record.id, set);
      layouts.add(item.frame.header.text.split(/[:\s]/)[0]!);
    }
    for (const set of byPatient.values()) expect(set.size).toBe(1);
    expect(layouts.size).toBeGreaterThan(1);
  });

  it('dates an H&P by its admission only: written on arrival, its header cannot know the discharge', () => {
    const stays = items.filter((i) => i.sheet.encounter.class === 'IMP' && i.sheet.encounter.endDate !== undefined && i.sheet.encounter.endDate > i.sheet.encounter.date);
    const hp = stays.filter((i) => i.sheet.encounter.noteType === 'history-and-physical');
    const ds = stays.filter((i) => i.sheet.encounter.noteType === 'discharge-summary');
    expect(hp.length).toBeGreaterThan(0);
    expect(ds.length).toBeGreaterThan(0);
    for (const i of hp) expect(i.frame.header.text).not.toMatch(/discharge/i);
    for (const i of hp) expect(i.frame.header.text).toMatch(/Admission date|Seen /);
    // The discharge summary's header keeps the discharge date.
    for (const i of ds) expect(i.frame.header.text).toMatch(/Discharge date: /);
  });

  it('leaves the memorization guard nothing of the PHI but masks: names, dates and numbers', () => {
    for (const item of items.slice(0, 300)) {
      const d = item.record.demographics;
      const names = [...d.givenNames, d.familyName, ...item.record.providers.practitioners.flatMap((p) => [...p.givenNames, p.familyName])];
      const tokens = normalizeText(item.frame.header.text, { names }).tokens;
      for (const s of item.frame.header.spans) {
        if (!['PATIENT', 'DOCTOR', 'DATE', 'MEDICALRECORD', 'ACCOUNT', 'AGE'].includes(s.type)) continue;
        for (const word of s.text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
          if (word.length < 2 || ['dr', 'md'].includes(word) || /^[a-z]+$/.test(word) && s.type === 'DATE') continue;
          expect(tokens, `${s.type} ${s.text}`).not.toContain(word);
        }
      }
    }
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { presentationsByCode } from '../../src/knowledge/presentations.js';
import { normalExam } from '../../src/knowledge/exam-normal.js';
import { buildFactSheet } from '../../src/notes/fact-sheet.js';
import type { FactSheet } from '../../src/notes/facts.js';
import { loadVocabulary, type Vocabulary } from '../../src/notes/grounding/vocabulary.js';
import type { IsoDate } from '../../src/core/time.js';
import { createCohortContext, simulateIndex } from '../../src/timeline/cohort.js';
import { toSeed } from '../../src/core/random.js';

let vocabulary: Vocabulary;
const sheets: FactSheet[] = [];
const again: FactSheet[] = [];

beforeAll(async () => {
  vocabulary = await loadVocabulary();
  const ctx = createCohortContext({ seed: toSeed(5), referenceDate: '2025-06-01' as IsoDate, age: undefined, gender: undefined, state: undefined });
  for (let i = 0; i < 40; i++) {
    for (const record of simulateIndex(ctx, i)) {
      for (const encounter of record.encounters) {
        if (encounter.reason === undefined) continue;
        sheets.push(buildFactSheet(record, encounter, { authorName: 'A B', noteType: encounter.class === 'EMER' ? 'ed-note' : 'progress-note', vocabulary }));
        again.push(buildFactSheet(record, encounter, { authorName: 'A B', noteType: encounter.class === 'EMER' ? 'ed-note' : 'progress-note', vocabulary }));
      }
    }
  }
});

describe('presentation facts on the sheet', () => {
  it('gives acute visits a chief complaint and symptoms with an onset', () => {
    const acute = sheets.filter((s) => s.encounter.chiefComplaint !== undefined);
    expect(acute.length).toBeGreaterThan(50);
    for (const s of acute) {
      const symptoms = s.facts.filter((f) => f.kind === 'symptom');
      expect(symptoms.length).toBeGreaterThan(0);
      for (const f of symptoms) {
        expect(f.value).toBeGreaterThanOrEqual(0);
        expect(f.date! <= s.encounter.date).toBe(true);
      }
      // The chief complaint is the patient's words, not the coded diagnosis.
      const reason = s.facts.find((f) => f.id === s.encounter.reasonFactId);
      if (reason !== undefined) expect(s.encounter.chiefComplaint!.toLowerCase()).not.toBe(reason.label.toLowerCase());
    }
  });

  it('reports fever exactly when the recorded temperature is febrile, and never denies a reported symptom', () => {
    for (const s of sheets) {
      const temp = s.facts.find((f) => f.id === 'vital.bodyTemperature')?.value;
      const fever = s.facts.some((f) => f.kind === 'symptom' && f.label === 'fever');
      if (temp !== undefined && fever) expect(temp).toBeGreaterThanOrEqual(37.8);
      if (temp !== undefined && temp >= 37.8 && s.negatives.includes('denies fever')) throw new Error('febrile patient denies fever');
      for (const f of s.facts.filter((x) => x.kind === 'symptom')) expect(s.negatives).not.toContain(`denies ${f.label}`);
    }
  });

  it('is deterministic', () => {
    expect(again).toEqual(sheets);
  });

  it('keeps drugs, conditions, labs and numbers after vital labels out of the presentation and exam data', () => {
    const texts = [...presentationsByCode().values()].flatMap((p) => [...p.complaints, ...(p.childComplaints ?? []), ...p.symptoms.flatMap((s) => [...s.words, ...(s.childWords ?? [])]), ...p.findings.flatMap((f) => f.words), ...p.plan]);
    texts.push(...normalExam().flatMap((s) => s.options.map((o) => o.text)));
    for (const text of texts) {
      const claims = vocabulary.find(text).filter((h) => h.concept.kind !== 'symptom');
      expect(claims.map((h) => `${h.text} in "${text}"`)).toEqual([]);
      expect(text).not.toMatch(/\b(?:pulse|HR|RR|BP|Temp|SpO2|BMI|Wt|Ht)\s*\d/);
    }
  });
});

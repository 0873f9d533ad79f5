/**
 * ConText rules against the wordings the template writer uses: a symptom phrased with a negation
 * cue ("no appetite") asserts the symptom and must not deny the words after it, found on seed 21
 * where "Accompanied by no appetite and low-grade fever" was flagged as denying fever.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { departmentNames } from '../../../src/knowledge/departments.js';
import { presentationsByCode } from '../../../src/knowledge/presentations.js';
import { annotateNote } from '../../../src/notes/annotate/annotate-note.js';
import { checkNote } from '../../../src/notes/grounding/check-note.js';
import { loadVocabulary, type Vocabulary } from '../../../src/notes/grounding/vocabulary.js';
import type { NoteOutput } from '../../../src/notes/note-output.js';
import { diabetesFollowUp } from '../../support/fact-sheets.js';

let vocabulary: Vocabulary;
beforeAll(async () => {
  vocabulary = await loadVocabulary();
});

const note = (heading: string, text: string): NoteOutput => ({ title: 'ED Note', sections: [{ heading, text }], mentions: [] });

describe('negation cues inside symptom wordings', () => {
  it('"no appetite and low-grade fever" asserts both symptoms; "no fever" still denies it', () => {
    const ok = checkNote(note('HPI', 'Accompanied by no appetite and low-grade fever.'), diabetesFollowUp, vocabulary);
    expect(ok.map((v) => v.code)).not.toContain('unsupported-negative');
    const fever = annotateNote(note('HPI', 'Accompanied by no appetite and low-grade fever.'), diabetesFollowUp, vocabulary).mentions.find((m) => m.text === 'fever');
    expect(fever?.assertion).toBe('present');
    expect(checkNote(note('HPI', 'Accompanied by nausea and no fever.'), diabetesFollowUp, vocabulary).map((v) => v.code)).toContain('unsupported-negative');
  });

  it('every symptom wording of presentations.yaml that holds a forward negation cue is covered by a pseudo rule', () => {
    const rules = (parse(readFileSync('src/knowledge/data/note-context-rules.yaml', 'utf8')) as { rules: { literal: string; category: string; direction: string }[] }).rules;
    const cues = rules.filter((r) => r.category === 'negated' && r.direction !== 'backward').map((r) => r.literal);
    const pseudo = rules.filter((r) => r.category === 'pseudo').map((r) => r.literal);
    const wordings = [...presentationsByCode().values()].flatMap((p) => [
      ...p.complaints,
      ...(p.childComplaints ?? []),
      ...p.symptoms.flatMap((s) => [...s.words, ...(s.childWords ?? [])]),
    ]);
    const uncovered = wordings.filter((w) => {
      const lower = ` ${w.toLowerCase()} `;
      return cues.some((c) => {
        const at = lower.indexOf(` ${c} `);
        return at >= 0 && !pseudo.some((p) => lower.slice(at + 1).startsWith(`${p}`));
      });
    });
    expect(uncovered).toEqual([]);
  });
});

describe('facility names in the chart header', () => {
  // Seed 21, 100 patients: 23 notes of a girl named Charlotte seen at "Charlotte Primary Care" were rejected.
  it('a facility named after a city the patient shares a name with is no name claim; another surname still is', () => {
    const given = diabetesFollowUp.patient.givenName;
    const header = (text: string) => checkNote(note('Header', text), diabetesFollowUp, vocabulary).map((v) => v.code);
    expect(header(`Facility: ${given} Primary Care - Family Medicine`)).not.toContain('name-mismatch');
    expect(header(`Location: Internal Medicine, ${given} Regional Medical Center`)).not.toContain('name-mismatch');
    expect(header(`${given} Primary is seen today.`)).toContain('name-mismatch');
  });
});

describe('department names in the chart header', () => {
  // A note of a patient named General, seen in "General Practice" (the era's department before family medicine), was rejected.
  it('a department whose name begins with the patient\'s given name is no name claim; the given name before another surname still is', () => {
    const sheet = { ...diabetesFollowUp, patient: { ...diabetesFollowUp.patient, givenName: 'General', name: `General ${diabetesFollowUp.patient.familyName}` } };
    const codes = (text: string) => checkNote(note('Header', text), sheet, vocabulary).map((v) => v.code);
    expect(departmentNames()).toContain('General Practice');
    expect(codes('Seen in General Practice today.')).not.toContain('name-mismatch');
    expect(codes('Location: General Practice, Reno Medical Center')).not.toContain('name-mismatch');
    expect(codes('General Medicine clinic visit.')).not.toContain('name-mismatch');
    expect(codes('General Practicewell is seen today.')).toContain('name-mismatch');
    expect(codes('General Ankunding is seen today.')).toContain('name-mismatch');
  });
});

describe('a clinician who shares the patient\'s given name', () => {
  // Seed 11, 300 patients: 21 notes of Darrion Goyette, signed by Darrion Ankunding, MD, were rejected.
  it('signs as a clinician, with a credential or as Dr., and is no name claim; the name without either still is', () => {
    const given = diabetesFollowUp.patient.givenName;
    const codes = (text: string) => checkNote(note('Signature', text), diabetesFollowUp, vocabulary).map((v) => v.code);
    expect(codes(`Electronically signed by ${given} Ankunding, MD on 2024-05-22.`)).not.toContain('name-mismatch');
    expect(codes(`Regards, ${given} Ankunding, MD`)).not.toContain('name-mismatch');
    expect(codes(`Seen with Dr. ${given} Ankunding.`)).not.toContain('name-mismatch');
    expect(codes(`${given} Ankunding is seen today.`)).toContain('name-mismatch');
  });
});

describe('past medical history is a section, not a modifier', () => {
  const sheet = {
    ...diabetesFollowUp,
    facts: [...diabetesFollowUp.facts, { id: 'problem.3', kind: 'problem' as const, label: 'Acute bronchitis', status: 'resolved' as const, date: '2021-01-05' }],
  };
  const assertions = (text: string) =>
    Object.fromEntries(annotateNote({ title: 'H&P', sections: [{ heading: 'Intro', text }], mentions: [] }, sheet, vocabulary).mentions.filter((m) => m.label === 'PROBLEM').map((m) => [m.text, m.assertion]));

  it('active chronic problems under a PMH heading are present, a resolved one historical', () => {
    const a = assertions('Seen for follow-up.\n\nPMH:\nEssential hypertension. Type 2 diabetes mellitus. Acute bronchitis.\n\nPlan: continue.');
    expect(a).toEqual({ 'Essential hypertension': 'present', 'Type 2 diabetes mellitus': 'present', 'Acute bronchitis': 'historical' });
    expect(assertions('Past medical history:\nHTN, T2DM.')).toEqual({ HTN: 'present', T2DM: 'present' });
  });

  it('inline, the title asserts nothing; "history of" and "(resolved)" still do', () => {
    expect(assertions('PMH significant for hypertension.')).toEqual({ hypertension: 'present' });
    expect(assertions('She has a history of acute bronchitis.')).toEqual({ 'acute bronchitis': 'historical' });
    expect(assertions('PMH:\nHypertension.\nAcute bronchitis (resolved).')).toEqual({ Hypertension: 'present', 'Acute bronchitis': 'historical' });
  });
});

describe('exam findings (FINDING lexicon kind)', () => {
  const asthma = {
    ...diabetesFollowUp,
    facts: [
      ...diabetesFollowUp.facts,
      { id: 'finding.1', kind: 'finding' as const, label: 'Expiratory wheezes, no crackles', synonyms: ['Lungs'] },
      { id: 'allergy.2', kind: 'allergy' as const, label: 'Mold', status: 'active' as const, synonyms: ['Mold (wheezing)'] },
    ],
  };
  const codes = (sheet: typeof diabetesFollowUp, text: string) => checkNote(note('Exam', text), sheet, vocabulary).map((v) => v.code);

  it('a finding the record lacks is flagged in any wording; a normal exam denying it passes', () => {
    for (const text of ['Lungs: scattered wheezes.', 'Bibasilar rales.', 'Ext: 2+ pitting edema.', 'Skin: jaundiced, scleral icterus.', 'Soft systolic murmur.']) {
      expect(codes(diabetesFollowUp, text), text).toContain('unsupported-finding');
    }
    for (const text of ['Lungs: CTAB, no wheezes, rales or rhonchi.', 'No edema.', 'Ext: without cyanosis, clubbing or edema.', '(-) wheezing, fever.', 'Return for wheezing.']) {
      expect(codes(diabetesFollowUp, text), text).not.toContain('unsupported-finding');
    }
  });

  it('a finding the record holds passes; denying it contradicts the record; a denied sheet finding may be denied', () => {
    expect(codes(asthma, 'Lungs: expiratory wheezing.')).toEqual([]);
    expect(codes(asthma, 'Lungs: clear, no wheezes.')).toContain('negative-contradicts-record');
    expect(codes(asthma, 'No crackles.')).not.toContain('negative-contradicts-record');
    expect(codes(asthma, 'Bibasilar crackles.')).toContain('unsupported-finding');
  });

  it('an allergy reaction backs the word but is no finding at the visit', () => {
    const moldOnly = { ...diabetesFollowUp, facts: [...diabetesFollowUp.facts, asthma.facts.at(-1)!] };
    expect(codes(moldOnly, 'Mold exposure brings on wheezing.')).not.toContain('unsupported-finding');
    expect(codes(moldOnly, 'Lungs: no wheezes.')).not.toContain('negative-contradicts-record');
  });
});

describe('house numbers in the chart footer', () => {
  // Seed 21, 300 patients: "Home address: 1921 ..." was read as the year 1921.
  it('a house number after "Home address:" is no year; a year elsewhere still is', () => {
    const check = (text: string) => checkNote(note('Footer', text), diabetesFollowUp, vocabulary).map((v) => v.code);
    expect(check('Home address: 1921 Oak Street, Springfield, Illinois 62701, USA')).not.toContain('date-mismatch');
    expect(check('Seen in 1921 for this.')).toContain('date-mismatch');
  });
});

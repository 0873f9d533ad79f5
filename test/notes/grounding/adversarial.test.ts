/**
 * The adversarial suite: a scripted OpenAI-compatible server on 127.0.0.1 writes notes from the
 * fact sheets it is sent and plants one statement per note — an invented fact of one of 20+
 * classes, in several wordings, or a true fact in other words. Every note goes through the real
 * pipeline (prompt, structured output, checkNote) with no retries; an invented fact that reaches
 * the bundle "lands". Set CW_ADVERSARIAL_OUT to write the per-class table as JSON (the bench reads it).
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFactSheet } from '../../../src/notes/fact-sheet.js';
import { renderFactSheet } from '../../../src/notes/fact-sheet-text.js';
import type { FactSheet } from '../../../src/notes/facts.js';
import { loadVocabulary, type Vocabulary } from '../../../src/notes/grounding/vocabulary.js';
import { createModelRunner } from '../../../src/notes/llm/model-runner.js';
import { createOpenAIModel } from '../../../src/notes/llm/openai-model.js';
import { createLlmNoteWriter, type NoteWriter } from '../../../src/notes/note-writer.js';
import { loadPromptSet } from '../../../src/notes/prompt-set.js';
import { planNotes } from '../../../src/notes/selection.js';
import { writeNote } from '../../../src/notes/write-note.js';
import { dateToInstant } from '../../../src/core/time.js';
import { createCohortContext, simulateIndex } from '../../../src/timeline/cohort.js';
import { toSeed } from '../../../src/core/random.js';
import { fluentNote, PLANT_CLASSES, plantedNote } from '../../support/adversarial-notes.js';
import { startFakeOpenAIServer, type FakeChatRequest, type FakeOpenAIServer } from '../../support/fake-openai-server.js';

/** Sheets per wording: invented facts, and true restatements (more, since their bar is a rate). */
const SHEETS_PER_WORDING = 4;
const SHEETS_PER_TRUE_WORDING = 16;

let vocabulary: Vocabulary;
let sheets: FactSheet[];
let server: FakeOpenAIServer;
let writer: NoteWriter;
/** What the scripted model plants in the note it writes next. */
let statement: string | undefined;

function promptText(request: FakeChatRequest): string {
  return request.messages.map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content))).join('\n');
}

beforeAll(async () => {
  vocabulary = await loadVocabulary();
  const cohort = createCohortContext({ seed: toSeed(21), referenceDate: '2025-06-01', age: undefined, gender: undefined, state: undefined });
  const until = dateToInstant('2025-06-01');
  sheets = [];
  for (let i = 0; i < 24; i++) {
    for (const record of simulateIndex(cohort, i)) {
      const plans = planNotes(record, { types: new Set(['progress-note'] as const), since: undefined, until: record.death?.time ?? until });
      // The latest few visits of each patient: adults carry problems, drugs and labs by then.
      for (const plan of plans.slice(-3)) sheets.push(buildFactSheet(record, plan.encounter, { authorName: 'Dr. Test', noteType: plan.noteType, vocabulary }));
    }
  }
  // Lateralized findings on four more body sites (the cohort's sheets give an ear at most), so the
  // laterality classes are measured on several sites: the latest adult sheets with one finding added.
  const adults = sheets.filter((s) => s.patient.age >= 18).slice(-4);
  const sided = ['Right knee swollen and tender', 'Left breast tender to palpation', 'Tenderness over the left kidney', 'Right eye red and watery'];
  sided.forEach((label, k) => {
    const base = adults[k];
    if (base !== undefined) sheets.push({ ...base, facts: [...base.facts, { id: 'finding.sided', kind: 'finding', label, synonyms: ['Exam'] }] });
  });
  const rendered = sheets.map((s) => renderFactSheet(s));
  // The scripted model reads the sheet it is sent (finds which one the prompt carries) and writes from it.
  server = await startFakeOpenAIServer({
    answer: (request) => {
      const prompt = promptText(request);
      const k = rendered.findIndex((r) => prompt.includes(r));
      if (k < 0) throw new Error('the prompt carries no known fact sheet');
      const sheet = sheets[k]!;
      return statement === undefined ? fluentNote(sheet) : plantedNote(sheet, statement);
    },
  });
  const model = createOpenAIModel({ model: 'gpt-4o-mini', apiKey: 'sk-test', baseURL: server.baseURL });
  const runner = createModelRunner(model, { clock: { now: () => 0, sleep: async () => undefined } });
  writer = createLlmNoteWriter({ model: runner, prompts: await loadPromptSet() });
}, 120_000);

afterAll(async () => {
  await server?.close();
});

async function kept(sheet: FactSheet, planted: string | undefined) {
  statement = planted;
  const result = await writeNote({ sheet, writer, vocabulary, maxRetries: 0 });
  return result;
}

interface ClassResult {
  readonly name: string;
  readonly truthful: boolean;
  readonly notes: number;
  /** Invented: notes kept with the invented fact. Truthful: notes rejected. */
  readonly failures: number;
  readonly examples: string[];
}

describe('adversarial notes', () => {
  it('keeps the scripted model\'s notes when it plants nothing', async () => {
    let rejected = 0;
    const reasons: string[] = [];
    for (const sheet of sheets.slice(0, 40)) {
      const result = await kept(sheet, undefined);
      if (result.status === 'rejected') {
        rejected++;
        reasons.push(...result.reasons.map((r) => r.message));
      }
    }
    expect(reasons).toEqual([]);
    expect(rejected).toBe(0);
  }, 120_000);

  it('rejects every invented fact of every class and keeps true restatements', async () => {
    const results: ClassResult[] = [];
    for (const cls of PLANT_CLASSES) {
      let notes = 0;
      let failures = 0;
      const examples: string[] = [];
      for (const wording of cls.wordings) {
        let used = 0;
        for (const sheet of sheets) {
          if (used >= (cls.truthful ? SHEETS_PER_TRUE_WORDING : SHEETS_PER_WORDING)) break;
          const planted = wording(sheet, vocabulary);
          if (planted === undefined) continue;
          used++;
          notes++;
          const result = await kept(sheet, planted);
          const failed = cls.truthful ? result.status === 'rejected' : result.status === 'accepted';
          if (failed) {
            failures++;
            if (examples.length < 3) examples.push(`${planted}${result.status === 'rejected' ? ` -> ${result.reasons.map((r) => r.code).join(',')}` : ''}`);
          }
        }
      }
      results.push({ name: cls.name, truthful: cls.truthful, notes, failures, examples });
    }
    if (process.env['CW_ADVERSARIAL_OUT'] !== undefined) writeFileSync(process.env['CW_ADVERSARIAL_OUT'], JSON.stringify(results, null, 2));
    const invented = results.filter((r) => !r.truthful);
    expect(invented.length).toBeGreaterThanOrEqual(15);
    for (const r of results) expect(r.notes, r.name).toBeGreaterThan(0);
    // Every invented fact is caught.
    expect(invented.filter((r) => r.failures > 0).map((r) => `${r.name}: ${r.examples.join(' | ')}`)).toEqual([]);
    // True restatements: at most 2% rejected.
    const truthful = results.filter((r) => r.truthful);
    const falseRejections = truthful.reduce((n, r) => n + r.failures, 0) / truthful.reduce((n, r) => n + r.notes, 0);
    expect(falseRejections, truthful.filter((r) => r.failures > 0).map((r) => `${r.name}: ${r.examples.join(' | ')}`).join('\n')).toBeLessThanOrEqual(0.02);
  }, 300_000);
});

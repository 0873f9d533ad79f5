import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCorpus } from '../../src/corpus/build.js';
import { emptyDrops, type CorpusDocument } from '../../src/corpus/document.js';
import { llmTaskCorpora, loadTaskPrompts, type SheetOf, type TaskPrompts } from '../../src/corpus/llm-tasks.js';
import { readGenerateOutput } from '../../src/corpus/read-output.js';
import { assignSplits, parseSplitRatios, type SplitName } from '../../src/corpus/split.js';
import { qaPairs, summaryPairs, taskCorpora } from '../../src/corpus/tasks.js';
import { toSeed } from '../../src/core/random.js';
import { dateToInstant, type IsoDate } from '../../src/core/time.js';
import { MetaFactory } from '../../src/fhir/meta.js';
import { recordToResources } from '../../src/fhir/record-to-fhir.js';
import type { NoteType } from '../../src/notes/facts.js';
import { loadVocabulary, type Vocabulary } from '../../src/notes/grounding/vocabulary.js';
import { createModelRunner } from '../../src/notes/llm/model-runner.js';
import { createOpenAIModel } from '../../src/notes/llm/openai-model.js';
import { notesForRecord, storedNoteSheet } from '../../src/notes/stage.js';
import { createTemplateNoteWriter } from '../../src/notes/template/template-note-writer.js';
import type { PatientRecord } from '../../src/record/types.js';
import { createCohortContext, simulateIndex } from '../../src/timeline/cohort.js';
import { tempDir } from '../support/cli.js';
import { groundedAnswer, groundedSummary, userText } from '../support/corpus-answers.js';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../support/fake-openai-server.js';

const REFERENCE = '2025-06-01' as IsoDate;
const KEY = 'sk-test-SECRET-corpus-0123456789';
const TYPES = new Set<NoteType>(['history-and-physical', 'discharge-summary', 'progress-note', 'ed-note']);

let documents: CorpusDocument[] = [];
let vocabulary: Vocabulary;
let prompts: TaskPrompts;
let sheetOf: SheetOf;
let server: FakeOpenAIServer;
const bundles = new Map<string, Record<string, unknown>>();
const bundleOf = (id: string) => bundles.get(id);

const INVENTED_SUMMARY = {
  title: 'Discharge Summary',
  sections: [{ heading: 'Discharge Medications', text: 'Started warfarin 5 mg daily for atrial fibrillation.' }],
  mentions: [],
};

function runner() {
  return createModelRunner(createOpenAIModel({ model: 'fake-model', env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.baseURL } }), {
    concurrency: 4,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    random: () => 0,
  });
}

beforeAll(async () => {
  vocabulary = await loadVocabulary();
  prompts = await loadTaskPrompts();
  server = await startFakeOpenAIServer({ answer: groundedAnswer });
  const ctx = createCohortContext({ seed: toSeed(5), referenceDate: REFERENCE, age: undefined, gender: undefined, state: undefined });
  const dir = tempDir('chartwright-corpus-llm-');
  const meta = new MetaFactory('test');
  const records = new Map<string, PatientRecord>();
  for (let i = 0; i < 16; i++) {
    for (const record of simulateIndex(ctx, i)) {
      records.set(record.id, record);
      const out = await notesForRecord(record, { types: TYPES, since: undefined, writer: createTemplateNoteWriter(), vocabulary, maxRetries: 2, meta, referenceTime: dateToInstant(REFERENCE) });
      mkdirSync(join(dir, 'notes', record.id), { recursive: true });
      for (const n of out.notes) {
        writeFileSync(join(dir, 'notes', record.id, `${n.noteId}.txt`), n.text);
        writeFileSync(join(dir, 'notes', record.id, `${n.noteId}.json`), JSON.stringify(n.annotations));
      }
      bundles.set(record.id, { resourceType: 'Bundle', entry: [...recordToResources(record, meta), ...out.resources].map((resource) => ({ resource })) });
    }
  }
  documents = readGenerateOutput(dir, emptyDrops()).documents;
  sheetOf = (patientId, encounterId, noteType) => {
    const record = records.get(patientId);
    return record === undefined ? undefined : storedNoteSheet(record, encounterId, noteType, dateToInstant(REFERENCE), vocabulary);
  };
  expect(summaryPairs(documents).length).toBeGreaterThan(0);
}, 300_000);

afterAll(async () => {
  await server.close();
});

/** Every document in one split, so each test's pairs are all in `train`. */
function trainOnly(docs: readonly CorpusDocument[]): Map<string, SplitName> {
  return new Map(docs.map((d) => [d.patientId, 'train' as SplitName]));
}

/** The documents of the first admission that has a discharge summary and another note. */
function oneAdmission(): CorpusDocument[] {
  const pair = summaryPairs(documents)[0]!;
  return documents.filter((d) => d.encounterId === pair['encounter_id']);
}

function rows(files: ReadonlyMap<string, string>, path: string): Record<string, unknown>[] {
  return (files.get(path) ?? '').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('chartwright corpus --llm: task corpora written by a model and checked against the record', () => {
  it('keeps a grounded summary and grounded QA pairs, QA answers keeping their supporting resource ids; de-id pairs stay the template ones', async () => {
    server.reset();
    const patientId = oneAdmission()[0]!.patientId;
    const docs = documents.filter((d) => d.patientId === patientId);
    const splitOf = trainOnly(docs);
    const tasks = new Set(['summary', 'qa', 'deid']);
    const out = await llmTaskCorpora(docs, splitOf, tasks, bundleOf, { model: runner(), prompts, vocabulary, maxRetries: 2, sheetOf });
    const summaries = rows(out.files, 'tasks/summary/train.jsonl');
    expect(summaries.length).toBe(summaryPairs(docs).length);
    expect(out.llm.tasks['summary']).toMatchObject({ kept: summaries.length, rejected: 0 });
    for (const s of summaries) {
      expect(s['writer']).toBe('openai');
      expect(s['model']).toBe('fake-model');
      expect(String(s['target'])).toContain('Admitted on ');
      expect(String(s['source'])).not.toBe('');
    }
    const qa = rows(out.files, 'tasks/qa/train.jsonl');
    const template = rows(taskCorpora(docs, splitOf, new Set(['qa']), bundleOf).files, 'tasks/qa/train.jsonl');
    expect(qa.map((q) => q['id'])).toEqual(template.map((q) => q['id']));
    const written = qa.filter((q) => q['writer'] === 'openai');
    expect(written.length).toBeGreaterThan(0);
    for (const q of written) {
      const t = template.find((x) => x['id'] === q['id'])!;
      expect(q['supporting_resources']).toEqual(t['supporting_resources']);
      expect(q['record_answer']).toBe(t['answer']);
      expect(String(q['answer'])).toContain(String(t['answer']));
      expect(String(q['question'])).toMatch(/^Could you tell me: /);
    }
    // Every written answer states its facts (the answer check passes restated record answers), and
    // carries the annotator's spans, each selecting its text in the answer as stored.
    expect(out.llm.tasks['qa']).toMatchObject({ rejected: 0, unplaced: 0 });
    let answerSpans = 0;
    for (const q of written) {
      const answer = [...String(q['answer'])];
      for (const e of q['answer_entities'] as { start: number; end: number; text: string; label: string; resource_id: string | null }[]) {
        expect(answer.slice(e.start, e.end).join('')).toBe(e.text);
        answerSpans++;
      }
      if (q['kind'] === 'current-medications' && (q['supporting_resources'] as string[]).length > 0) {
        const linked = (q['answer_entities'] as { label: string; resource_id: string | null }[]).filter((e) => e.label === 'MEDICATION' && e.resource_id !== null);
        expect(linked.length, String(q['answer'])).toBeGreaterThan(0);
      }
    }
    expect(answerSpans).toBeGreaterThan(0);
    for (const s of summaries) {
      const target = [...String(s['target'])];
      const entities = s['target_entities'] as { start: number; end: number; text: string; label: string }[];
      expect(entities.length).toBeGreaterThan(0);
      for (const e of entities) expect(target.slice(e.start, e.end).join('')).toBe(e.text);
      expect(s['target_unplaced_mentions']).toBe(0);
    }
    // Unanswerable questions have nothing a model's answer could be checked against: template kept, counted.
    expect(qa.filter((q) => q['answerable'] === false).every((q) => q['writer'] === 'template')).toBe(true);
    expect(out.llm.tasks['qa']!.template).toBe(qa.filter((q) => q['writer'] === 'template').length);
    // De-identification pairs are byte for byte the template path's (seeded surrogates).
    expect(out.files.get('tasks/deid/train.jsonl')).toBe(taskCorpora(docs, splitOf, new Set(['deid']), bundleOf).files.get('tasks/deid/train.jsonl'));
    for (const [, content] of out.files) expect(content).not.toContain(KEY);
    expect(JSON.stringify(out.llm)).not.toContain(KEY);
  });

  it('retries a summary with an invented drug, with the violations as feedback, and keeps the grounded rewrite', async () => {
    server.reset();
    server.enqueue({ kind: 'answer', answer: () => INVENTED_SUMMARY });
    const docs = oneAdmission();
    const out = await llmTaskCorpora(docs, trainOnly(docs), new Set(['summary']), bundleOf, { model: runner(), prompts, vocabulary, maxRetries: 2, sheetOf });
    const [summary] = rows(out.files, 'tasks/summary/train.jsonl');
    expect(summary?.['attempts']).toBe(2);
    expect(String(summary?.['target'])).not.toContain('warfarin');
    expect(out.llm.tasks['summary']).toMatchObject({ kept: 1, rejected: 0, attempts: 2 });
    const retry = server.requests[1]!.body!;
    expect(userText(retry)).toMatch(/rejected by the record checks[\s\S]*warfarin/);
  });

  it('rejects a summary that stays ungrounded after the retries, leaves it out and counts it', async () => {
    server.reset();
    server.enqueue(...Array.from({ length: 3 }, () => ({ kind: 'answer' as const, answer: () => INVENTED_SUMMARY })));
    const docs = oneAdmission();
    const out = await llmTaskCorpora(docs, trainOnly(docs), new Set(['summary']), bundleOf, { model: runner(), prompts, vocabulary, maxRetries: 2, sheetOf });
    expect(rows(out.files, 'tasks/summary/train.jsonl')).toEqual([]);
    expect(out.counts['summary']).toBe(0);
    const t = out.llm.tasks['summary']!;
    expect(t).toMatchObject({ kept: 0, rejected: 1, attempts: 3 });
    expect(Object.keys(t.reasons).some((code) => code.startsWith('unsupported-'))).toBe(true);
  });

  it('rejects a QA answer with an invented value, and keeps the others', async () => {
    server.reset();
    const patientId = oneAdmission()[0]!.patientId;
    const docs = documents.filter((d) => d.patientId === patientId);
    // Every QA answer invents a drug the record lacks: none may be kept as written.
    const local = await startFakeOpenAIServer({ answer: () => ({ question: 'What is the patient taking?', answer: 'The patient takes warfarin 5 mg daily.', mentions: [] }) });
    try {
      const model = createModelRunner(createOpenAIModel({ model: 'fake-model', env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: local.baseURL } }), { retry: { baseDelayMs: 1 }, random: () => 0 });
      const out = await llmTaskCorpora(docs, trainOnly(docs), new Set(['qa']), bundleOf, { model, prompts, vocabulary, maxRetries: 1, sheetOf });
      const qa = rows(out.files, 'tasks/qa/train.jsonl');
      const t = out.llm.tasks['qa']!;
      expect(t.rejected).toBeGreaterThan(0);
      expect(t.kept).toBe(0);
      expect(qa.every((q) => q['writer'] === 'template')).toBe(true);
      expect(qa.length).toBe(t.template);
      expect(Object.keys(t.reasons)).toContain('unsupported-medication');
    } finally {
      await local.close();
    }
  });

  it('drops a model mention it cannot place in the summary, counting it, and labels what it can', async () => {
    server.reset();
    server.enqueue({
      kind: 'answer',
      answer: (request) => {
        const grounded = groundedSummary(request) as { mentions: { text: string; factId: string }[] };
        const factId = grounded.mentions[0]?.factId ?? 'encounter';
        return { ...grounded, mentions: [...grounded.mentions, { text: 'a phrase the summary never says', factId }] };
      },
    });
    const docs = oneAdmission();
    const out = await llmTaskCorpora(docs, trainOnly(docs), new Set(['summary']), bundleOf, { model: runner(), prompts, vocabulary, maxRetries: 2, sheetOf });
    const [summary] = rows(out.files, 'tasks/summary/train.jsonl');
    // The unplaceable mention fails the grounding check (mention-not-in-note) and is rewritten; a kept summary has none.
    expect(summary).toBeDefined();
    expect(summary?.['target_unplaced_mentions']).toBe(0);
    const entities = summary?.['target_entities'] as { text: string; label: string }[];
    expect(entities.some((e) => e.label === 'PROBLEM')).toBe(true);
    expect(entities.map((e) => e.text)).not.toContain('a phrase the summary never says');
  });

  it('retries a vague QA answer that states nothing, with the missing facts as feedback, then rejects it', async () => {
    const patientId = oneAdmission()[0]!.patientId;
    const docs = documents.filter((d) => d.patientId === patientId);
    const vague = { question: 'What does the record say?', answer: 'That is documented in the chart.', mentions: [] };
    const local = await startFakeOpenAIServer({ answer: () => vague });
    try {
      const model = createModelRunner(createOpenAIModel({ model: 'fake-model', env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: local.baseURL } }), { retry: { baseDelayMs: 1 }, random: () => 0 });
      const out = await llmTaskCorpora(docs, trainOnly(docs), new Set(['qa']), bundleOf, { model, prompts, vocabulary, maxRetries: 1, sheetOf });
      const t = out.llm.tasks['qa']!;
      expect(t.kept).toBe(0);
      expect(t.rejected).toBeGreaterThan(0);
      expect(t.reasons).toEqual({ 'answer-missing-fact': t.rejected });
      // Each rejected pair had two attempts, the second told what the first left out.
      expect(t.attempts).toBe(2 * t.rejected);
      const retries = local.requests.filter((r) => /rejected by the record checks/.test(userText(r.body!)));
      expect(retries.length).toBe(t.rejected);
      expect(retries.some((r) => /The answer must (name|state)/.test(userText(r.body!)))).toBe(true);
      expect(rows(out.files, 'tasks/qa/train.jsonl').every((q) => q['writer'] === 'template')).toBe(true);
    } finally {
      await local.close();
    }
  });

  it('handles malformed output (retried as a malformed-output violation) and a 429 (retried by the runner)', async () => {
    server.reset();
    // Two invalid answers: the provider's repair round fails too, so the attempt is a malformed note.
    server.enqueue({ kind: 'invalid-json' }, { kind: 'invalid-json' });
    const docs = oneAdmission();
    const malformed = await llmTaskCorpora(docs, trainOnly(docs), new Set(['summary']), bundleOf, { model: runner(), prompts, vocabulary, maxRetries: 2, sheetOf });
    expect(rows(malformed.files, 'tasks/summary/train.jsonl')[0]?.['attempts']).toBe(2);
    expect(malformed.llm.tasks['summary']).toMatchObject({ kept: 1, rejected: 0 });

    server.reset();
    server.enqueue({ kind: 'rate-limit', retryAfterMs: 1 });
    const model = runner();
    const limited = await llmTaskCorpora(docs, trainOnly(docs), new Set(['summary']), bundleOf, { model, prompts, vocabulary, maxRetries: 2, sheetOf });
    expect(rows(limited.files, 'tasks/summary/train.jsonl')[0]?.['attempts']).toBe(1);
    expect(model.stats().retries).toBe(1);
    expect(server.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('rejects malformed output that never becomes valid, counting it as malformed-output', async () => {
    server.reset();
    server.enqueue(...Array.from({ length: 4 }, () => ({ kind: 'invalid-json' as const })));
    const docs = oneAdmission();
    const out = await llmTaskCorpora(docs, trainOnly(docs), new Set(['summary']), bundleOf, { model: runner(), prompts, vocabulary, maxRetries: 1, sheetOf });
    expect(out.llm.tasks['summary']).toMatchObject({ kept: 0, rejected: 1, reasons: { 'malformed-output': 1 } });
  });

  it("template QA: a date of diagnosis is the record's (the date recorded, or the onset of history carried into the chart), as the grounding checks read it", () => {
    let checked = 0;
    for (const [patientId, bundle] of bundles) {
      const notes = documents.filter((d) => d.patientId === patientId);
      const last = notes.at(-1);
      if (last === undefined) continue;
      const sheet = sheetOf(patientId, last.encounterId, last.noteType as NoteType)!;
      for (const q of qaPairs(patientId, bundle)) {
        if (q['kind'] !== 'date-of-diagnosis' || q['answerable'] !== true) continue;
        const id = (q['supporting_resources'] as string[])[0]!.split('/')[1];
        const fact = sheet.facts.find((f) => f.resourceId === id);
        if (fact === undefined) continue;
        expect(q['answer'], String(q['question'])).toBe(fact.date);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('the datasheet prints the i2b2 2014 corpus sizes beside ours, with their source, and the model\'s kept and rejected counts', async () => {
    server.reset();
    server.enqueue(...Array.from({ length: 3 }, () => ({ kind: 'answer' as const, answer: () => INVENTED_SUMMARY })));
    const docs = oneAdmission();
    const splitOf = trainOnly(docs);
    const written = await llmTaskCorpora(docs, splitOf, new Set(['summary']), bundleOf, { model: runner(), prompts, vocabulary, maxRetries: 2, sheetOf });
    const built = buildCorpus(docs, { formats: [], tasks: new Set(['summary']), split: parseSplitRatios('100/0/0')!, seed: 5, source: 'x', manifest: {}, taskFiles: written, llm: written.llm });
    const sheet = built.files.get('README.md')!;
    expect(sheet).toMatch(/\| i2b2 2014 training \| 790 \| 17405 \| 22\.0 \|/);
    expect(sheet).toMatch(/\| i2b2 2014 \(both\) \| 1304 \| 28867 \| 22\.1 \|/);
    expect(sheet).toContain('nlpsandbox.io');
    expect(sheet).toMatch(/\| summary \| 0 \| 1 \| 3 \| unsupported-[a-z-]+ 1 \| 0 \| 0 \|/);
    expect(sheet).toContain('`fake-model`');
  });

  it('leaves the template path as it was: the same task files for the same seed, byte for byte', () => {
    const splitOf = assignSplits(documents.map((d) => d.patientId), parseSplitRatios('80/10/10')!, 5);
    const tasks = new Set(['summary', 'qa', 'deid']);
    const a = taskCorpora(documents, splitOf, tasks, bundleOf);
    const b = taskCorpora(documents, splitOf, tasks, bundleOf);
    expect([...a.files]).toEqual([...b.files]);
    for (const [, content] of a.files) for (const line of content.split('\n').filter(Boolean)) expect(JSON.parse(line)).not.toHaveProperty('writer');
  });
});

// Template notes bench: per-note cost of the three steps each kept note goes through, over a
// simulated cohort with every note type its records call for: building the fact sheet (problems,
// drugs, labs, procedures as of the encounter), writing the template note, and the grounding checks.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export async function run(ctx) {
  const load = (p) => import(pathToFileURL(join(ctx.root, 'dist', p)).href);
  const { createCohortContext, simulateIndex } = await load('timeline/cohort.js');
  const { toSeed } = await load('core/random.js');
  const { dateToInstant } = await load('core/time.js');
  const { buildFactSheet } = await load('notes/fact-sheet.js');
  const { NOTE_TYPES } = await load('notes/facts.js');
  const { loadVocabulary } = await load('notes/grounding/vocabulary.js');
  const { checkNote } = await load('notes/grounding/check-note.js');
  const { planNotes } = await load('notes/selection.js');
  const { writeTemplateNote } = await load('notes/template/template-writer.js');

  const patients = ctx.quick ? 40 : 200;
  const vocabulary = await loadVocabulary();
  const cohort = createCohortContext({ seed: toSeed(7), referenceDate: '2025-06-01', age: undefined, gender: undefined, state: undefined });
  const until = dateToInstant('2025-06-01');
  const jobs = [];
  for (let i = 0; i < patients; i++) {
    for (const record of simulateIndex(cohort, i)) {
      const names = new Map(record.providers.practitioners.map((p) => [p.id, `${p.givenNames[0]} ${p.familyName}`]));
      for (const plan of planNotes(record, { types: new Set(NOTE_TYPES), since: undefined, until: record.deathTime ?? until })) {
        jobs.push({ record, plan, author: names.get(plan.encounter.practitionerId) ?? 'the clinician' });
      }
    }
  }
  let t = performance.now();
  const sheets = jobs.map((j) => buildFactSheet(j.record, j.plan.encounter, { authorName: j.author, noteType: j.plan.noteType, vocabulary }));
  const sheetMs = performance.now() - t;
  t = performance.now();
  const notes = sheets.map((s, k) => writeTemplateNote(s, `bench-${k}`));
  const writeMs = performance.now() - t;
  t = performance.now();
  let rejected = 0;
  notes.forEach((n, k) => {
    if (checkNote(n, sheets[k], vocabulary).length > 0) rejected++;
  });
  const checkMs = performance.now() - t;
  const n = jobs.length;
  const us = (ms) => Math.round((1000 * ms) / n);
  const name = `${n} template notes (${patients} patients)`;
  return [
    { suite: 'notes', case: name, metric: 'fact sheet per note', value: us(sheetMs), unit: 'µs' },
    { suite: 'notes', case: name, metric: 'template writing per note', value: us(writeMs), unit: 'µs' },
    { suite: 'notes', case: name, metric: 'grounding checks per note', value: us(checkMs), unit: 'µs' },
    { suite: 'notes', case: name, metric: 'throughput (sheet + write + check)', value: Math.round(n / ((sheetMs + writeMs + checkMs) / 1000)), unit: 'notes/s' },
    { suite: 'notes', case: name, metric: 'rejected', value: rejected, unit: 'notes' },
  ];
}

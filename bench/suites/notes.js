// Template notes bench: per-note cost of the three steps each kept note goes through, over a
// simulated cohort with every note type its records call for: building the fact sheet (problems,
// drugs, labs, procedures as of the encounter), writing the template note, and the grounding checks.
import { noteCohort } from '../helpers/note-cohort.js';

export async function run(ctx) {
  const patients = ctx.quick ? 40 : 200;
  const { vocabulary, jobs, buildFactSheet, writeTemplateNote, checkNote } = await noteCohort(ctx.root, { seed: 7, patients });
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

/**
 * The corpus's datasheet, `corpus/README.md`, in the spirit of "Datasheets for Datasets" (Gebru et
 * al. 2021): how it was made (seed, generation options, writer, model, prompts hash), what it holds
 * (counts per label, assertion, PHI category and split, note-type mix, lengths, distinct-n), what
 * was left out and why, the near-duplicate share the memorization guard measured, and its limits.
 */
import { loadI2b2DeidCorpus } from '../knowledge/i2b2-2014.js';
import { I2B2_2014_CATEGORY_SHARE, PHI_CATEGORIES, PHI_TYPES } from '../notes/phi/phi-tags.js';
import type { DropCounts } from './document.js';
import type { LlmTaskReport } from './llm-tasks.js';
import type { CorpusStats } from './stats.js';
import { SPLITS } from './split.js';

export interface DatasheetInput {
  readonly source: string;
  readonly manifest: Record<string, unknown>;
  readonly formats: readonly string[];
  readonly tasks: readonly string[];
  readonly split: readonly [number, number, number];
  readonly seed: number;
  readonly balance?: { readonly label: string; readonly added: number } | undefined;
  readonly stats: CorpusStats;
  readonly drops: DropCounts;
  readonly unannotated: number;
  readonly taskCounts: Readonly<Record<string, number>>;
  readonly llm?: LlmTaskReport | undefined;
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

type Json = Record<string, unknown>;

export function datasheet(input: DatasheetInput): string {
  const { stats, manifest } = input;
  const notes = (manifest['notes'] ?? {}) as Json;
  const options = (manifest['options'] ?? {}) as Json;
  const byType = (notes['byType'] ?? {}) as Record<string, Json>;
  const promptHashes = [...new Set(Object.values(byType).map((t) => t['promptHash']).filter((h): h is string => typeof h === 'string'))];
  const dedup = notes['dedup'] as Json | null | undefined;
  const dedupCounts = (dedup?.['counts'] ?? {}) as Record<string, number>;
  const phiTotal = Object.values(stats.phiCategories).reduce((a, b) => a + b, 0);
  const labelRows = Object.entries(stats.labels).sort((a, b) => b[1] - a[1]).map(([label, n]) => {
    const a = stats.assertions[label] ?? {};
    return [label, n, ...['present', 'negated', 'possible', 'hypothetical', 'historical', 'family'].map((k) => a[k] ?? 0)];
  });
  const lines: string[] = [];
  lines.push(`# Datasheet: Chartwright synthetic clinical NLP corpus`, '');
  lines.push(
    'Synthetic clinical notes with gold annotations, written by Chartwright from synthetic patient records. Every label comes from the record the note was written from, not from a human or model annotator: each entity is the span where the note states a record fact, coded as the record codes it and linked to its FHIR resource where the annotator knows it; PHI sits in a chart header and footer built from the record, plus the names, dates and ages the body repeats. No real patient, clinician or institution is in it.',
    '',
  );
  lines.push('## Motivation', '');
  lines.push('Annotated clinical text (i2b2/n2c2, MIMIC) is behind data-use agreements, and LLM-written corpora carry no spans. This corpus gives clinical NER, assertion, relation and de-identification models text whose every label is exact (`text[start:end] == span.text`, checked for every span of every format) and traceable to a record.', '');
  lines.push('## How it was generated', '');
  lines.push(table(['setting', 'value'], [
    ['source', `\`${input.source}\``],
    ['generator', `${manifest['tool'] ?? 'chartwright'} ${manifest['version'] ?? ''}`.trim()],
    ['seed (generation)', String(manifest['seed'] ?? 'unknown')],
    ['reference date', String(manifest['referenceDate'] ?? 'unknown')],
    ['patients (living / deceased)', JSON.stringify(((manifest['counts'] as Json | undefined)?.['patients']) ?? null)],
    ['generation options', `\`${JSON.stringify(options)}\``],
    ['note writer', String(notes['writer'] ?? 'unknown')],
    ['model', String(notes['model'] ?? (notes['writer'] === 'template' ? 'none (template writer)' : 'unknown'))],
    ['prompts hash', promptHashes.length === 0 ? 'none (no prompts)' : promptHashes.map((h) => `\`${h}\``).join(', ')],
    ['note types asked for', Array.isArray(notes['types']) ? (notes['types'] as string[]).join(', ') : 'unknown'],
    ['corpus seed (splits)', String(input.seed)],
    ['split (train/validation/test)', input.split.map((x) => pct(x)).join(' / ')],
    ['formats', input.formats.join(', ')],
    ['tasks', input.tasks.join(', ')],
    ['oversampling', input.balance === undefined ? 'none' : `\`--balance ${input.balance.label}\`: ${input.balance.added} training notes repeated (ids \`<id>-dupK\`); validation and test untouched`],
  ]), '');
  lines.push('## Composition', '');
  lines.push(table(['split', 'patients', 'notes', 'entities', 'PHI spans'], SPLITS.map((s) => [s, stats.bySplit[s].patients, stats.bySplit[s].notes, stats.bySplit[s].entities, stats.bySplit[s].phi])), '');
  lines.push('Splits are by patient: no patient has notes in two splits.', '');
  lines.push('### Note types', '');
  lines.push(table(['note type', 'notes', 'share'], Object.entries(stats.noteTypes).sort((a, b) => b[1] - a[1]).map(([t, n]) => [t, n, pct(n / Math.max(1, stats.notes))])), '');
  lines.push('### Entities and assertions', '');
  lines.push(table(['label', 'total', 'present', 'negated', 'possible', 'hypothetical', 'historical', 'family'], labelRows), '');
  lines.push(`${stats.coded} entities carry a code (SNOMED CT, RxNorm, LOINC, CVX); ${stats.linked} link to their FHIR resource.`, '');
  lines.push('### Relations', '');
  lines.push(Object.keys(stats.relations).length === 0 ? 'None found.' : table(['relation', 'count'], Object.entries(stats.relations).map(([k, v]) => [k, v])), '');
  lines.push('### PHI (i2b2 2014 tag set)', '');
  const rank = [...PHI_CATEGORIES].sort((a, b) => (stats.phiCategories[b] ?? 0) - (stats.phiCategories[a] ?? 0));
  lines.push(table(['category', 'spans', 'share here', 'rank here', 'share in i2b2 2014'], PHI_CATEGORIES.map((c) => {
    const share = I2B2_2014_CATEGORY_SHARE[c];
    return [c, stats.phiCategories[c] ?? 0, pct((stats.phiCategories[c] ?? 0) / Math.max(1, phiTotal)), rank.indexOf(c) + 1, share === null ? 'unverified' : pct(share)];
  })), '');
  const i2b2 = loadI2b2DeidCorpus();
  const i2b2Rows = (['training', 'evaluation'] as const).map((k) => i2b2.splits[k]);
  const i2b2Records = i2b2Rows.reduce((n, r) => n + r.records, 0);
  const i2b2Annotations = i2b2Rows.reduce((n, r) => n + r.annotations, 0);
  lines.push(table(['corpus', 'notes', 'PHI spans', 'PHI spans per note'], [
    ['this corpus', stats.notes, phiTotal, (phiTotal / Math.max(1, stats.notes)).toFixed(1)],
    ...(['training', 'evaluation'] as const).map((k) => [`i2b2 2014 ${k}`, i2b2.splits[k].records, i2b2.splits[k].annotations, (i2b2.splits[k].annotations / i2b2.splits[k].records).toFixed(1)]),
    ['i2b2 2014 (both)', i2b2Records, i2b2Annotations, (i2b2Annotations / i2b2Records).toFixed(1)],
  ]), '');
  lines.push(`i2b2 2014 sizes from ${i2b2.source.replace(/\s+/g, ' ').trim()}`, '');
  lines.push('The i2b2 2014 column quotes only figures checked against the published tables (Stubbs, Kotfila & Uzuner 2015, J Biomed Inform 58 Suppl:S11-S19; Stubbs & Uzuner 2015, 58 Suppl:S20-S29): "unverified" means no checked figure (their per-category counts could not be read from a checkable copy; the sizes above could). DATE is said to be the commonest category there (unverified here); it is the commonest here: dates of service, birth, signature and dictation in the frame, lab and prior-study dates and years of diagnosis ("dx 2012", tagged DATE as the i2b2 guidelines tag years) in the body.', '');
  lines.push(table(['type', 'spans'], PHI_TYPES.map((t) => [t, stats.phiTypes[t] ?? 0])), '');
  const absent = PHI_TYPES.filter((t) => (stats.phiTypes[t] ?? 0) === 0);
  if (absent.length > 0) lines.push(`Types with no span in this corpus: ${absent.join(', ')} (rare types need a larger cohort; VEHICLE, SSN and DEVICE come from ED arrivals by ambulance, H&Ps and radiology reports; BIOID is never written, as real charts carry no biometric identifier).`, '');
  lines.push('### Text', '');
  lines.push(table(['measure', 'value'], [
    ['characters per note (mean / median / p90 / max)', `${Math.round(stats.chars.mean)} / ${stats.chars.median} / ${stats.chars.p90} / ${stats.chars.max}`],
    ['word tokens (total / per note)', `${stats.tokens.total} / ${Math.round(stats.tokens.mean)}`],
    ['distinct-1 / distinct-2 / distinct-3', `${stats.distinct[1].toFixed(3)} / ${stats.distinct[2].toFixed(3)} / ${stats.distinct[3].toFixed(3)}`],
  ]), '');
  lines.push('## Near duplicates (memorization guard)', '');
  if (dedup === null || dedup === undefined) lines.push('The run had no memorization guard (`--no-dedup`, or no notes): no near-duplicate figures.', '');
  else {
    const screened = dedupCounts['screened'] ?? 0;
    const flagged = (dedupCounts['flaggedByReference'] ?? 0) + (dedupCounts['flaggedByOtherPatient'] ?? 0);
    lines.push(table(['measure', 'value'], [
      ['drafts screened', screened],
      ['drafts flagged (reference or another patient), then rewritten or rejected', `${flagged} (${pct(flagged / Math.max(1, screened))})`],
      ['kept notes sharing a 50-token passage with another note of the same patient', dedupCounts['keptWithinPatientOverlap'] ?? 0],
      ['kept near duplicates within a patient (5-gram Jaccard >= 0.8)', dedupCounts['keptWithinPatientNearDuplicate'] ?? 0],
      ['rejected by the guard', (dedupCounts['rejectedMemorizedOverlap'] ?? 0) + (dedupCounts['rejectedNearDuplicate'] ?? 0)],
    ]), '');
  }
  lines.push('## Left out', '');
  const misaligned = Object.entries(input.drops.misaligned).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
  const overlapping = Object.entries(input.drops.overlapping).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
  lines.push(table(['what', 'count'], [
    ['writer mentions the generator could not place in the text (dropped, never guessed)', input.drops.unplaced],
    ['spans whose offsets do not select their text (dropped)', input.drops.offsetMismatch],
    ['notes without an annotation file (older output; left out)', input.unannotated],
    ['spans a flat format cannot hold (overlap a longer span), per format', overlapping],
    ['spans whose edges fall inside a token, per format', misaligned],
  ]), '');
  if (Object.keys(input.taskCounts).length > 0) {
    lines.push('## Task corpora', '');
    lines.push(table(['task', 'pairs'], Object.entries(input.taskCounts).map(([k, v]) => [k, v])), '');
    const llm = input.llm;
    if (llm !== undefined) {
      lines.push(
        `Summaries and QA pairs written by \`${llm.writer}\` model \`${llm.model}\` (prompts hash summary \`${llm.promptHashes.summary}\`, QA \`${llm.promptHashes.qa}\`). Each output was read as a note and checked against the fact sheet of the record it speaks of with the notes' grounding checks; an ungrounded one was retried with the violations as feedback, then rejected (left out, counted here). De-identification pairs keep their seeded surrogates.`,
        '',
      );
      lines.push(
        'A kept summary carries its entity spans (`target_entities`, `target_relations`) and a kept answer its own (`answer_entities`, `answer_relations`), as the notes do: the annotator\'s linked mentions and the model\'s mentions placed by exact search, each checked to select its text; a model mention that cannot be placed is dropped and counted (last column), never guessed. A written answer must state what answers its question (the drugs or allergens of the supporting resources, the HbA1c value and the day it was drawn, the day of diagnosis), else it is retried with what it left out (`answer-missing-fact`) and then rejected.',
        '',
      );
      lines.push(table(['task', 'written and kept', 'rejected', 'attempts', 'rejection reasons (first violation)', 'template pairs kept (nothing to check a model\'s against)', 'model mentions dropped (not in the text)'], Object.entries(llm.tasks).map(([task, t]) => [
        task,
        t.kept,
        t.rejected,
        t.attempts,
        Object.entries(t.reasons).map(([k, v]) => `${k} ${v}`).join(', ') || 'none',
        t.template,
        t.unplaced,
      ])), '');
    }
  }
  lines.push('## Known limits', '');
  lines.push(
    [
      '- Synthetic: the patients, their care and their notes are simulated. Models trained here learn what these notes look like; measure them on real text before trusting them.',
      '- With the template writer, wording comes from a finite set of phrasings: distinct-n is lower and sentence structure more regular than in real notes. LLM-written notes (`generate --llm`) vary more.',
      "- Entities are the mentions the writer and the annotator tie to record facts. A clinical phrase neither ties to the record is unlabelled, not absent: recall of a model may be underestimated where notes say more than the record.",
      '- Assertions other than present and historical come only from the annotator; with writer mentions alone they are rare.',
      '- PHI follows a few header layouts per facility; names come from US name lists, addresses and phone numbers are fictional (555-01xx numbers). The category mix differs from the i2b2 2014 narratives: every note has a header, so IDs and contacts are more frequent. A name is one span ("Moen, Destinee"), as i2b2 tags it.',
      '- The bigbio_kb schema has no assertion field: use the JSONL or BRAT export for assertions.',
      '- Drug attributes follow n2c2 2018 (STRENGTH, FORM, ROUTE, FREQUENCY, DOSAGE beside the drug name, `dosage-of` the drug). Template notes write drugs as their record name ("lisinopril 10 mg tablet"), so ROUTE and DOSAGE (the amount taken) are rare or absent and FREQUENCY is rare; ANATOMY covers the body sites of a fixed lexicon, not every site a note names.',
    ].join('\n'),
    '',
  );
  return `${lines.join('\n')}\n`;
}

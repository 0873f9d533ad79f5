import type { Command } from 'commander';
import { OptionError } from '../../errors.js';
import { buildIndex } from '../../dedup/build-index.js';
import { formatDedupReport } from '../../dedup/report-text.js';
import { runDedup } from '../../dedup/run-dedup.js';
import { z } from 'zod';
import { flag, option, parseOptions } from '../../core/option-schema.js';
import { DEDUP_SETTING_OPTIONS, DEDUP_SOURCE_OPTIONS, refineMinSpan, type DedupSettingsInput } from '../../dedup/settings.js';
import { addSchemaFlags, givenOptions } from '../schema-flags.js';

/** `chartwright dedup`'s options: the guard's references and settings, and the report's form. */
const DEDUP_COMMAND_OPTIONS = {
  ...DEDUP_SOURCE_OPTIONS,
  ...DEDUP_SETTING_OPTIONS,
  withinPatient: option(flag(false), { help: "also flag overlaps between one patient's own notes (a generate OUT)", affectsOutput: true }),
  json: option(flag(false), { help: 'print the report (or the index result) as JSON', affectsOutput: false }),
};
const dedupCommandSchema = z.strictObject(DEDUP_COMMAND_OPTIONS).superRefine(refineMinSpan);
type DedupCommandOptions = z.output<typeof dedupCommandSchema>;

export function registerDedup(program: Command): void {
  // `dedup index PATH...` is read from the first operand rather than declared as a subcommand: a
  // subcommand would need positional options on the whole program (breaking `generate ... --debug`),
  // or its --db and settings would be taken by `dedup`'s own. A file named `index` is `./index`.
  const dedup = program
    .command('dedup')
    .usage('[options] <input...>\n       chartwright dedup index <path...> --db FILE [options]')
    .description(
      'flag memorized text and near duplicates: spans of 50+ tokens shared with a reference or another input, and pairs at word 5-gram Jaccard >= 0.8 ' +
        '(exit 1 when anything is flagged). `dedup index PATH... --db FILE` indexes a reference corpus into SQLite once (reruns add only new or changed documents)',
    )
    .argument('<input...>', 'text files, folders, JSONL, CSV, or a generate OUT folder');
  addSchemaFlags(dedup, DEDUP_COMMAND_OPTIONS).action(async (inputs: string[]) => {
      const options = parseOptions(dedupCommandSchema, givenOptions(dedup, DEDUP_COMMAND_OPTIONS));
      if (inputs[0] === 'index') {
        await runIndex(inputs.slice(1), options);
        return;
      }
      const report = await runDedup({
        inputs,
        references: options.reference,
        db: options.db,
        field: options.field,
        column: options.column,
        settings: settingsOf(options),
        withinGroup: options.withinPatient,
      });
      process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatDedupReport(report, options.withinPatient)}\n`);
      // The report is the output; exit 1 without a second message, so CI pipelines fail on a finding.
      if (report.summary.flaggedDocuments > 0) process.exitCode = 1;
    });
}

function settingsOf(options: DedupCommandOptions): DedupSettingsInput {
  return { jaccard: options.jaccard, minSpan: options.minSpan, ngram: options.ngram, numPerm: options.numPerm };
}

async function runIndex(paths: string[], options: DedupCommandOptions): Promise<void> {
  if (paths.length === 0) throw new OptionError('dedup index', 'expected the paths of the corpus to index');
  if (options.db === undefined) throw new OptionError('--db', 'is required with `dedup index`: the SQLite file to create or add to');
  if (options.reference.length > 0) throw new OptionError('--reference', 'does not apply to `dedup index` (the paths are the corpus)');
  if (options.withinPatient) throw new OptionError('--within-patient', 'does not apply to `dedup index`');
  const result = await buildIndex({ paths, db: options.db, field: options.field, column: options.column, settings: settingsOf(options) });
  if (options.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  process.stdout.write(
    `chartwright: indexed ${result.added} new, ${result.updated} changed, ${result.unchanged} unchanged documents in ${result.seconds.toFixed(1)} s; ` +
      `${options.db} holds ${result.index.documents} documents in ${result.index.bytes} bytes (${result.index.bytesPerDocument} bytes per document)\n`,
  );
}

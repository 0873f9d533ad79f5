import type { Command } from 'commander';
import { OptionError } from '../../errors.js';
import { buildIndex } from '../../dedup/build-index.js';
import { formatDedupReport } from '../../dedup/report-text.js';
import { runDedup } from '../../dedup/run-dedup.js';
import { addDedupOptions, parseDedupOptions, type DedupCliOptions, type RawDedupOptions } from './dedup-options.js';

interface RawDedupCommandOptions extends RawDedupOptions {
  json?: boolean;
  withinPatient?: boolean;
}

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
  addDedupOptions(dedup)
    .option('--within-patient', "also flag overlaps between one patient's own notes (a generate OUT)")
    .option('--json', 'print the report (or the index result) as JSON')
    .action(async (inputs: string[], raw: RawDedupCommandOptions) => {
      const options = parseDedupOptions(raw);
      if (inputs[0] === 'index') {
        await runIndex(inputs.slice(1), options, raw);
        return;
      }
      const report = await runDedup({
        inputs,
        references: options.references,
        db: options.db,
        field: options.field,
        column: options.column,
        settings: options.settings,
        withinGroup: raw.withinPatient === true,
      });
      process.stdout.write(raw.json === true ? `${JSON.stringify(report, null, 2)}\n` : `${formatDedupReport(report, raw.withinPatient === true)}\n`);
      // The report is the output; exit 1 without a second message, so CI pipelines fail on a finding.
      if (report.summary.flaggedDocuments > 0) process.exitCode = 1;
    });
}

async function runIndex(paths: string[], options: DedupCliOptions, raw: RawDedupCommandOptions): Promise<void> {
  if (paths.length === 0) throw new OptionError('dedup index', 'expected the paths of the corpus to index');
  if (options.db === undefined) throw new OptionError('--db', 'is required with `dedup index`: the SQLite file to create or add to');
  if (options.references.length > 0) throw new OptionError('--reference', 'does not apply to `dedup index` (the paths are the corpus)');
  if (raw.withinPatient === true) throw new OptionError('--within-patient', 'does not apply to `dedup index`');
  const result = await buildIndex({ paths, db: options.db, field: options.field, column: options.column, settings: options.settings });
  if (raw.json === true) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  process.stdout.write(
    `chartwright: indexed ${result.added} new, ${result.updated} changed, ${result.unchanged} unchanged documents in ${result.seconds.toFixed(1)} s; ` +
      `${options.db} holds ${result.index.documents} documents in ${result.index.bytes} bytes (${result.index.bytesPerDocument} bytes per document)\n`,
  );
}

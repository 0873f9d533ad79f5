/**
 * The memorization guard's options, declared once for `chartwright dedup`, `dedup index` and
 * `generate --notes`: which references, how to read them, and the detection settings. Values are
 * validated by the zod schema in `src/dedup/settings.ts`; a bad value names its flag.
 */
import type { Command } from 'commander';
import { OptionError } from '../../errors.js';
import { dedupSettingsSchema, type DedupSettingsInput } from '../../dedup/settings.js';
import type { GuardSettings } from '../../dedup/note-guard.js';

export interface RawDedupOptions {
  reference?: string[];
  db?: string;
  field?: string;
  column?: string;
  flagValueLists?: boolean;
  jaccard: string;
  minSpan: string;
  ngram: string;
  numPerm: string;
}

/** What the guard options resolve to. */
export interface DedupCliOptions {
  readonly references: readonly string[];
  readonly db: string | undefined;
  readonly field: string | undefined;
  readonly column: string | undefined;
  readonly settings: DedupSettingsInput;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** Defaults, as the flags show them (the schema holds the same). */
export const DEDUP_OPTION_DEFAULTS = { jaccard: '0.8', minSpan: '50', ngram: '5', numPerm: '128' } as const;

/**
 * Declares the guard options on a command. `references` false leaves out `--reference` (for
 * `dedup index`, whose positional paths are the corpus).
 */
export function addDedupOptions(command: Command, { references = true }: { references?: boolean } = {}): Command {
  if (references) {
    command.option('--reference <path>', 'reference corpus: text file, folder, JSONL, CSV or a generate OUT (repeatable)', collect);
  }
  return command
    .option('--db <file>', references ? 'a dedup index built by `chartwright dedup index`' : 'the SQLite index file to create or add to')
    .option('--field <name>', 'JSONL: the field holding the text (default: text, transcription, note, note_text or patient)')
    .option('--column <name>', 'CSV: the column holding the text (default: text, transcription, note, note_text or patient)')
    .option('--jaccard <j>', 'near-duplicate threshold on word 5-gram Jaccard', DEDUP_OPTION_DEFAULTS.jaccard)
    .option('--min-span <tokens>', 'shortest shared span that counts as copied', DEDUP_OPTION_DEFAULTS.minSpan)
    .option('--ngram <n>', 'shingle length in words', DEDUP_OPTION_DEFAULTS.ngram)
    .option('--num-perm <n>', 'MinHash permutations', DEDUP_OPTION_DEFAULTS.numPerm)
    .option('--flag-value-lists', 'flag shared spans that are only vitals lines and lab panels (masked values with their labels and units) too');
}

const FLAG_OF: Record<string, string> = { jaccard: '--jaccard', minSpan: '--min-span', ngram: '--ngram', numPerm: '--num-perm' };

function number(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new OptionError(flag, `expected a number, got ${JSON.stringify(text)}`);
  return value;
}

/** Validates the guard options; every problem names its flag. */
export function parseDedupOptions(raw: RawDedupOptions): DedupCliOptions {
  const input = {
    jaccard: number('--jaccard', raw.jaccard),
    minSpan: number('--min-span', raw.minSpan),
    ngram: number('--ngram', raw.ngram),
    numPerm: number('--num-perm', raw.numPerm),
    valueLists: raw.flagValueLists === true ? ('flag' as const) : ('ignore' as const),
  };
  const parsed = dedupSettingsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0] ?? 'jaccard');
    throw new OptionError(FLAG_OF[key] ?? `--${key}`, `${issue.message} (got ${JSON.stringify(raw[key as keyof RawDedupOptions])})`);
  }
  if (input.minSpan <= parsed.data.windowStride) throw new OptionError('--min-span', `expected more than ${parsed.data.windowStride} tokens`);
  return {
    references: raw.reference ?? [],
    db: raw.db,
    field: raw.field,
    column: raw.column,
    settings: input,
  };
}

/** `generate`'s guard flags: the options above plus the switches of the in-run guard. */
export interface RawGuardOptions extends RawDedupOptions {
  /** false with `--no-dedup`. */
  dedup: boolean;
  dedupWithinPatient?: boolean;
}

/** Declares the guard options on `generate`. */
export function addGuardOptions(command: Command): Command {
  return addDedupOptions(command)
    .option('--no-dedup', 'with --notes: keep notes without the memorization guard')
    .option('--dedup-within-patient', "with --notes: also rewrite a note that copies one of the patient's own notes (default: reported only)");
}

/** The guard's settings for `generate` (undefined without notes or with `--no-dedup`); flags that need notes say so. */
export function parseGuardOptions(raw: RawGuardOptions, notes: boolean): GuardSettings | undefined {
  const options = parseDedupOptions(raw);
  const given = [
    ['--reference', options.references.length > 0],
    ['--db', options.db !== undefined],
    ['--field', options.field !== undefined],
    ['--column', options.column !== undefined],
    ['--dedup-within-patient', raw.dedupWithinPatient === true],
    ['--flag-value-lists', raw.flagValueLists === true],
  ] as const;
  for (const [flag, present] of given) {
    if (present && !notes) throw new OptionError(flag, 'needs --notes (the guard screens notes)');
    if (present && !raw.dedup) throw new OptionError(flag, 'cannot be combined with --no-dedup');
  }
  if (!notes || !raw.dedup) return undefined;
  return {
    settings: options.settings,
    references: options.references,
    db: options.db,
    field: options.field,
    column: options.column,
    withinPatient: raw.dedupWithinPatient === true,
  };
}

/**
 * `generate`'s options, declared once. {@link GENERATE_OPTIONS} is the single place an option is
 * added: its type, range, default, help text and whether it changes the output. From it come the
 * CLI flags (src/cli/schema-flags.ts), `--config FILE`, the library's validation
 * ({@link parseGenerateOptions}, run by {@link generate}), the manifest's `options`, the resume
 * fingerprint and `generate-options.schema.json` (npm run options-schema).
 */
import { availableParallelism } from 'node:os';
import { randomInt } from 'node:crypto';
import { z } from 'zod';
import { flag, integer, option, optionMeta, parseOptions } from '../core/option-schema.js';
import { loadStates } from '../knowledge/population.js';
import { NOTE_TYPES, type NoteType } from '../notes/facts.js';
import { LLM_OPTIONS, type LlmOptions } from '../notes/llm/llm-runtime.js';
import { dateToInstant, parseIsoDate, todayUtc, type IsoDate } from '../core/time.js';
import type { RecordWindow } from '../record/window.js';
import { MAX_SEED, toSeed, type Seed } from '../core/random.js';
import type { CohortSpec } from '../timeline/cohort.js';
import { DEDUP_SETTING_OPTIONS, DEDUP_SOURCE_OPTIONS, refineMinSpan } from '../dedup/settings.js';
import type { GuardSettings } from '../dedup/note-guard.js';
import type { NotesSettings } from './produce.js';
import type { ValidateSettings } from './validate-as-written.js';
import { resolveShard } from './shard.js';

/** Output formats `generate` can write. */
export const OUTPUT_FORMATS = ['fhir', 'ndjson'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Which slice of the cohort a process generates: patient indices ≡ index (mod count). */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Note types `--notes` writes when given without a list. */
export const DEFAULT_NOTE_TYPES: readonly NoteType[] = NOTE_TYPES;

const isoDate = (min: IsoDate, max: IsoDate) =>
  z.string().refine((text) => {
    const date = parseIsoDate(text);
    return date !== undefined && date >= min && date <= max;
  }, `expected a date YYYY-MM-DD between ${min.slice(0, 4)} and ${max.slice(0, 4)}`);

const ageRange = z
  .union([z.string(), z.strictObject({ min: z.number(), max: z.number() })])
  .transform((value, ctx) => {
    const m = typeof value === 'string' ? /^(\d{1,3})(?:-(\d{1,3}))?$/.exec(value) : null;
    const min = typeof value === 'string' ? (m === null ? NaN : Number(m[1])) : value.min;
    const max = typeof value === 'string' ? (m === null ? NaN : Number(m[2] ?? m[1])) : value.max;
    if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || min > max || max > 104) {
      ctx.addIssue({ code: 'custom', message: `expected MIN-MAX years with 0 <= MIN <= MAX <= 104 (e.g. 18-64), got ${JSON.stringify(value)}` });
      return z.NEVER;
    }
    return { min, max };
  });

/** A comma-separated list (a flag) or an array (config file) of allowed words; `all` for every one. */
function wordList<const W extends readonly [string, ...string[]]>(words: W, withAll: boolean) {
  const expected = `expected a comma-separated list of ${words.join(', ')}${withAll ? ' (or all)' : ''}`;
  return z.union([z.string(), z.array(z.string())]).transform((value, ctx) => {
    const parts = typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value;
    if (withAll && parts.length === 1 && parts[0] === 'all') return [...words];
    const bad = parts.find((p) => !words.includes(p));
    if (bad !== undefined || parts.length === 0) {
      ctx.addIssue({ code: 'custom', message: `${expected}, got ${JSON.stringify(bad ?? value)}` });
      return z.NEVER;
    }
    // In the words' own order, once each: `ndjson,fhir` and `fhir,ndjson` are one choice.
    return words.filter((w) => parts.includes(w)) as W[number][];
  });
}

const noteTypeList = wordList(NOTE_TYPES, true);
/** `--notes` alone (true) is every type; false is none. */
const noteTypes = z.union([z.boolean(), z.string(), z.array(z.string())]).transform((value, ctx): NoteType[] | false => {
  if (value === false) return false;
  if (value === true) return [...DEFAULT_NOTE_TYPES];
  const parsed = noteTypeList.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message });
  return z.NEVER;
});

/** `--history-years`: a whole number of years (1-150) or `all` for the whole life. */
const historyYears = z.union([z.number(), z.string()]).transform((value, ctx): number | 'all' => {
  if (value === 'all') return 'all';
  const n = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > 150) {
    ctx.addIssue({ code: 'custom', message: `expected a whole number of years from 1 to 150, or all, got ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return n;
});

/** Years a chart holds when neither `historyYears` nor `historySince` is given (Synthea's exporter.years_of_history). */
const DEFAULT_HISTORY_YEARS = 10;

/**
 * Every option of `generate`. Adding one is one entry here (then read it where it acts, from
 * {@link GenerateOptions.values} or a field of {@link GenerateOptions}); the flag, config key,
 * JSON Schema, manifest entry and resume check follow. `affectsOutput` decides whether `--resume`
 * must see the same value.
 */
export const GENERATE_OPTIONS = {
  config: option(z.string().min(1).optional(), {
    value: '<file>',
    help: 'YAML or JSON file of these options by their camelCase names (e.g. referenceDate: 2025-06-30); flags override it',
    affectsOutput: false,
    inManifest: false,
  }),
  patients: option(integer(1, 100_000_000).default(100), { value: '<n>', help: 'patients alive at the reference date (the deceased are extra)', affectsOutput: true }),
  seed: option(integer(0, MAX_SEED).optional(), { value: '<s>', help: 'master seed, 0 to 2^53-1', defaultLabel: 'random, printed', affectsOutput: true }),
  out: option(z.string().min(1).default('./output'), { value: '<dir>', help: 'output folder', affectsOutput: false, inManifest: false }),
  referenceDate: option(isoDate('1900-01-01' as IsoDate, '2100-12-31' as IsoDate).optional(), {
    value: '<date>',
    help: "the simulation's now, YYYY-MM-DD",
    defaultLabel: 'today, UTC',
    affectsOutput: true,
  }),
  age: option(ageRange.optional(), { value: '<min-max>', help: 'age range at the reference date, e.g. 18-64', affectsOutput: true }),
  gender: option(z.enum(['male', 'female'], { error: (i) => `expected male or female, got ${JSON.stringify(i.input)}` }).optional(), {
    value: '<gender>',
    help: 'only one administrative gender: male or female',
    affectsOutput: true,
  }),
  state: option(
    z
      .string()
      .transform((s) => s.toUpperCase())
      .refine((code) => loadStates().some((s) => s.code === code), { error: (i) => `expected a two-letter US state code or DC (e.g. MA), got ${JSON.stringify(i.input)}` })
      .optional(),
    { value: '<code>', help: 'US state or DC', defaultLabel: 'census-weighted mix', affectsOutput: true },
  ),
  workers: option(integer(1, 256).optional(), { value: '<n>', help: 'worker threads', defaultLabel: 'cores - 1', affectsOutput: false }),
  shard: option(z.union([z.string(), z.strictObject({ index: z.number(), count: z.number() })]).optional(), {
    value: '<k/n|auto>',
    help: 'generate only patients with index = k mod n; auto reads Slurm, AWS Batch or Kubernetes',
    affectsOutput: true,
  }),
  format: option(wordList(OUTPUT_FORMATS, false).default([...OUTPUT_FORMATS]), { value: '<list>', help: 'outputs: fhir, ndjson or both', affectsOutput: true }),
  deceased: option(flag(true), { negated: true, help: 'leave out patients who died before the reference date', affectsOutput: true }),
  force: option(flag(false), { help: 'replace earlier output in --out', affectsOutput: false, inManifest: false }),
  resume: option(flag(false), { help: 'finish an interrupted run in --out', affectsOutput: false, inManifest: false }),
  notes: option(noteTypes.default(false), {
    value: '[types]',
    optionalValue: true,
    help: `write clinical notes: all, or a comma-separated list of ${NOTE_TYPES.join(', ')}`,
    affectsOutput: true,
  }),
  notesSince: option(isoDate('1800-01-01' as IsoDate, '2200-12-31' as IsoDate).optional(), {
    value: '<date>',
    help: 'notes only for encounters on or after YYYY-MM-DD (cost control)',
    affectsOutput: true,
  }),
  historyYears: option(historyYears.optional(), {
    value: '<n|all>',
    help: 'years of the record each chart holds, back from the reference date (or death); earlier life is carried as history; all for the whole life',
    defaultLabel: String(DEFAULT_HISTORY_YEARS),
    affectsOutput: true,
  }),
  historySince: option(isoDate('1800-01-01' as IsoDate, '2200-12-31' as IsoDate).optional(), {
    value: '<date>',
    help: 'charts hold the record from YYYY-MM-DD on (instead of --history-years); earlier life is carried as history',
    affectsOutput: true,
  }),
  llm: option(z.enum(['template', 'openai'], { error: (i) => `expected template (offline, default) or openai (any OpenAI-compatible endpoint), got ${JSON.stringify(i.input)}` }).default('template'), {
    value: '<writer>',
    help: 'note writer: template (offline) or openai (OPENAI_API_KEY, OPENAI_BASE_URL)',
    affectsOutput: true,
  }),
  ...LLM_OPTIONS,
  prompts: option(z.string().min(1).optional(), { value: '<dir>', help: 'prompt templates folder', defaultLabel: 'the bundled prompts/', affectsOutput: true }),
  validate: option(flag(false), {
    help: 'validate every resource before writing it (base R4 + claimed profiles of --ig IGs); fail the run on an error',
    affectsOutput: false,
  }),
  ig: option(z.array(z.string().min(1)).default([]), {
    value: '<path>',
    repeatable: true,
    help: 'with --validate: IG package folder or .tgz, e.g. hl7.fhir.us.core (repeatable)',
    affectsOutput: false,
  }),
  quiet: option(flag(false), { help: 'print nothing but errors', affectsOutput: false, inManifest: false }),
  // The memorization guard (shared with `chartwright dedup`).
  ...DEDUP_SOURCE_OPTIONS,
  ...DEDUP_SETTING_OPTIONS,
  dedup: option(flag(true), { negated: true, help: 'with --notes: keep notes without the memorization guard', affectsOutput: true }),
  dedupWithinPatient: option(flag(false), {
    help: "with --notes: also rewrite a note that copies one of the patient's own notes (default: reported only)",
    affectsOutput: true,
  }),
};

/** The rules between options. */
function crossChecks(v: z.output<z.ZodObject<typeof GENERATE_OPTIONS>>, ctx: z.RefinementCtx): void {
  const fail = (key: keyof typeof GENERATE_OPTIONS, message: string): void => ctx.addIssue({ code: 'custom', path: [key], message });
  if (v.force && v.resume) fail('resume', 'cannot be combined with --force');
  const notes = v.notes !== false;
  if (!notes && v.notesSince !== undefined) fail('notesSince', 'needs --notes');
  if (v.ig.length > 0 && !v.validate) fail('ig', 'only applies with --validate');
  if (v.historySince !== undefined && v.historyYears !== undefined) fail('historySince', 'cannot be combined with --history-years');
  if (v.historySince !== undefined && v.referenceDate !== undefined && v.historySince > v.referenceDate) fail('historySince', `is after the reference date ${v.referenceDate}`);
  const guardFlags = [
    ['reference', v.reference.length > 0],
    ['db', v.db !== undefined],
    ['field', v.field !== undefined],
    ['column', v.column !== undefined],
    ['dedupWithinPatient', v.dedupWithinPatient],
    ['flagValueLists', v.flagValueLists],
  ] as const;
  for (const [key, present] of guardFlags) {
    if (present && !notes) fail(key, 'needs --notes (the guard screens notes)');
    else if (present && !v.dedup) fail(key, 'cannot be combined with --no-dedup');
  }
  refineMinSpan(v, ctx);
}

/** `generate`'s options schema: the shape and the rules between options. */
export const generateOptionsSchema = z.strictObject(GENERATE_OPTIONS).superRefine(crossChecks);

/** Options as a library caller or a config file gives them (every field optional, flags' text accepted). */
export type GenerateInput = z.input<typeof generateOptionsSchema>;
/** Every option validated, with computed defaults filled (seed, reference date, workers, shard). */
export type GenerateValues = Omit<z.output<typeof generateOptionsSchema>, 'seed' | 'referenceDate' | 'workers' | 'shard' | 'historyYears'> & {
  /** Filled with the default (10) unless `historySince` is given. */
  readonly historyYears: number | 'all' | undefined;
  readonly seed: Seed;
  readonly referenceDate: IsoDate;
  readonly workers: number;
  readonly shard: Shard | undefined;
};

/**
 * Options of one generation run, resolved: what the run reads. Built only by
 * {@link parseGenerateOptions}; `values` are the validated options by name.
 */
export interface GenerateOptions {
  readonly values: GenerateValues;
  readonly patients: number;
  readonly seed: Seed;
  readonly out: string;
  readonly referenceDate: IsoDate;
  readonly age: { readonly min: number; readonly max: number } | undefined;
  readonly gender: 'male' | 'female' | undefined;
  readonly state: string | undefined;
  readonly workers: number;
  readonly shard: Shard | undefined;
  readonly formats: ReadonlySet<OutputFormat>;
  readonly includeDeceased: boolean;
  readonly force: boolean;
  readonly resume: boolean;
  /** Clinical notes to write; undefined for none. */
  readonly notes: NotesSettings | undefined;
  /** Validate every resource as it is written and fail the run on an error; undefined to skip. */
  readonly validate: ValidateSettings | undefined;
  /** The memorization guard for notes: on by default with notes, undefined without notes or with `dedup: false`. */
  readonly dedup: GuardSettings | undefined;
  /** The LLM writer's options (used with `llm: 'openai'`). */
  readonly llm: LlmOptions;
  /** Which stretch of each simulated life the charts hold (`historyYears`, `historySince`). */
  readonly window: RecordWindow;
}

/**
 * Validates `generate`'s options and fills the computed defaults; the first problem is an
 * OptionError naming its flag. `env` serves `shard: 'auto'`.
 */
export function parseGenerateOptions(input: GenerateInput, env: Readonly<Record<string, string | undefined>> = process.env): GenerateOptions {
  const v = parseOptions(generateOptionsSchema, input);
  const shard = v.shard === undefined ? undefined : resolveShard(typeof v.shard === 'string' ? v.shard : `${v.shard.index}/${v.shard.count}`, env);
  const values: GenerateValues = {
    ...v,
    seed: toSeed(v.seed ?? randomInt(0, 2 ** 48 - 1)),
    referenceDate: (v.referenceDate ?? todayUtc()) as IsoDate,
    workers: v.workers ?? Math.max(1, availableParallelism() - 1),
    shard,
    historyYears: v.historySince === undefined ? (v.historyYears ?? DEFAULT_HISTORY_YEARS) : undefined,
  };
  const window: RecordWindow =
    v.historySince !== undefined
      ? { kind: 'since', since: dateToInstant(v.historySince as IsoDate) }
      : values.historyYears === 'all'
        ? { kind: 'all' }
        : { kind: 'years', years: values.historyYears ?? DEFAULT_HISTORY_YEARS };
  const notes: NotesSettings | undefined =
    v.notes === false
      ? undefined
      : {
          types: v.notes,
          since: v.notesSince as IsoDate | undefined,
          writer: v.llm === 'template' ? 'template' : 'external',
          maxRetries: v.maxRetries,
        };
  const llm: LlmOptions = Object.fromEntries(Object.keys(LLM_OPTIONS).map((k) => [k, v[k as keyof typeof LLM_OPTIONS]])) as LlmOptions;
  return {
    values,
    patients: v.patients,
    seed: values.seed,
    out: v.out,
    referenceDate: values.referenceDate,
    age: v.age,
    gender: v.gender,
    state: v.state,
    workers: values.workers,
    shard,
    formats: new Set(v.format),
    includeDeceased: v.deceased,
    force: v.force,
    resume: v.resume,
    notes,
    validate: v.validate ? { igPaths: v.ig } : undefined,
    dedup:
      notes === undefined || !v.dedup
        ? undefined
        : {
            settings: { jaccard: v.jaccard, minSpan: v.minSpan, ngram: v.ngram, numPerm: v.numPerm, flagValueLists: v.flagValueLists },
            references: v.reference,
            db: v.db,
            field: v.field,
            column: v.column,
            withinPatient: v.dedupWithinPatient,
          },
    llm,
    window,
  };
}

/** Option values for the manifest, by name (absent ones as null): a manifest's options make a valid `--config`. */
export function manifestOptions(values: GenerateValues): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(GENERATE_OPTIONS)
      .filter((key) => optionMeta(GENERATE_OPTIONS, key).inManifest !== false)
      .map((key) => [key, values[key as keyof GenerateValues] ?? null]),
  );
}

/** The options that decide the output, by name: what `--resume` must find unchanged. */
export function outputOptions(values: GenerateValues): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(GENERATE_OPTIONS)
      .filter((key) => optionMeta(GENERATE_OPTIONS, key).affectsOutput)
      .map((key) => [key, values[key as keyof GenerateValues] ?? null]),
  );
}

export function cohortSpecOf(options: GenerateOptions): CohortSpec {
  return {
    seed: options.seed,
    referenceDate: options.referenceDate,
    age: options.age,
    gender: options.gender,
    state: options.state,
  };
}

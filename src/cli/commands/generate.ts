import { availableParallelism } from 'node:os';
import { randomInt } from 'node:crypto';
import { Command, Option } from 'commander';
import { OptionError } from '../../errors.js';
import { loadStates } from '../../knowledge/population.js';
import { DEFAULT_LLM_CACHE_PATH } from '../../cache/llm-cache.js';
import { isNoteType, NOTE_TYPES, type NoteType } from '../../notes/facts.js';
import { openLlmRuntime, parseLlmOptions, type LlmOptions } from '../../notes/llm/llm-runtime.js';
import { loadPromptSet } from '../../notes/prompt-set.js';
import { parseIsoDate, todayUtc, type IsoDate } from '../../record/time.js';
import { generate } from '../../run/generate.js';
import type { GenerateOptions, OutputFormat } from '../../run/options.js';
import { resolveShard } from '../../run/shard.js';
import { MAX_SEED, toSeed } from '../../timeline/random.js';
import { createProgress } from '../progress.js';
import { interruptSignal } from '../interrupt.js';
import { addGuardOptions, parseGuardOptions, type RawGuardOptions } from './dedup-options.js';

interface RawGenerateOptions extends RawGuardOptions {
  patients: string;
  seed?: string;
  out: string;
  referenceDate?: string;
  age?: string;
  gender?: string;
  state?: string;
  workers?: string;
  shard?: string;
  format: string;
  deceased: boolean;
  force?: boolean;
  resume?: boolean;
  quiet?: boolean;
  notes?: string | boolean;
  notesSince?: string;
  llm: string;
  maxRetries: string;
  model?: string;
  concurrency: string;
  rpm?: string;
  tpm?: string;
  requestTimeout: string;
  cache: string;
  cachePath: string;
  llmPrices?: string;
  prompts?: string;
  temperature?: string;
  validate?: boolean;
  ig: string[];
}

function wholeNumber(option: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new OptionError(option, `expected a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return Number(text);
}

/** Turns the flags into validated {@link GenerateOptions}; every problem names its option. */
export function parseGenerateOptions(raw: RawGenerateOptions, env: NodeJS.ProcessEnv = process.env): GenerateOptions {
  const patients = wholeNumber('--patients', raw.patients, 1, 100_000_000);
  const seed = toSeed(raw.seed === undefined ? randomInt(0, 2 ** 48 - 1) : wholeNumber('--seed', raw.seed, 0, MAX_SEED));
  let referenceDate = todayUtc();
  if (raw.referenceDate !== undefined) {
    const parsed = parseIsoDate(raw.referenceDate);
    if (parsed === undefined || parsed < '1900-01-01' || parsed > '2100-12-31') {
      throw new OptionError('--reference-date', `expected a date YYYY-MM-DD between 1900 and 2100, got ${JSON.stringify(raw.referenceDate)}`);
    }
    referenceDate = parsed;
  }
  let age: GenerateOptions['age'];
  if (raw.age !== undefined) {
    const m = /^(\d{1,3})(?:-(\d{1,3}))?$/.exec(raw.age);
    const min = m === null ? NaN : Number(m[1]);
    const max = m === null ? NaN : Number(m[2] ?? m[1]);
    if (m === null || min > max || max > 104) {
      throw new OptionError('--age', `expected MIN-MAX years with 0 <= MIN <= MAX <= 104 (e.g. 18-64), got ${JSON.stringify(raw.age)}`);
    }
    age = { min, max };
  }
  let gender: GenerateOptions['gender'];
  if (raw.gender !== undefined) {
    if (raw.gender !== 'male' && raw.gender !== 'female') {
      throw new OptionError('--gender', `expected male or female, got ${JSON.stringify(raw.gender)}`);
    }
    gender = raw.gender;
  }
  let state: string | undefined;
  if (raw.state !== undefined) {
    const code = raw.state.toUpperCase();
    if (!loadStates().some((s) => s.code === code)) {
      throw new OptionError('--state', `expected a two-letter US state code or DC (e.g. MA), got ${JSON.stringify(raw.state)}`);
    }
    state = code;
  }
  const workers =
    raw.workers === undefined ? Math.max(1, availableParallelism() - 1) : wholeNumber('--workers', raw.workers, 1, 256);
  const shard = raw.shard === undefined ? undefined : resolveShard(raw.shard, env);
  const formats = new Set<OutputFormat>();
  for (const part of raw.format.split(',').map((s) => s.trim())) {
    if (part !== 'fhir' && part !== 'ndjson') {
      throw new OptionError('--format', `expected a comma-separated list of fhir and ndjson, got ${JSON.stringify(raw.format)}`);
    }
    formats.add(part);
  }
  if (raw.force === true && raw.resume === true) throw new OptionError('--resume', 'cannot be combined with --force');
  const notes = parseNotesOptions(raw);
  const dedup = parseGuardOptions(raw, notes !== undefined);
  const igPaths = raw.ig ?? [];
  if (igPaths.length > 0 && raw.validate !== true) throw new OptionError('--ig', 'only applies with --validate');
  return {
    patients,
    seed,
    out: raw.out,
    referenceDate,
    age,
    gender,
    state,
    workers,
    shard,
    formats,
    includeDeceased: raw.deceased,
    force: raw.force === true,
    resume: raw.resume === true,
    notes,
    validate: raw.validate === true ? { igPaths } : undefined,
    dedup,
  };
}

/** Note types `--notes` writes when given without a list. */
export const DEFAULT_NOTE_TYPES: readonly NoteType[] = NOTE_TYPES;

function parseNotesOptions(raw: RawGenerateOptions): GenerateOptions['notes'] {
  if (raw.notes === undefined || raw.notes === false) {
    if (raw.notesSince !== undefined) throw new OptionError('--notes-since', 'needs --notes');
    return undefined;
  }
  let types: NoteType[] = [...DEFAULT_NOTE_TYPES];
  if (typeof raw.notes === 'string' && raw.notes !== 'all') {
    types = [];
    for (const part of raw.notes.split(',').map((s) => s.trim())) {
      if (!isNoteType(part)) throw new OptionError('--notes', `expected a comma-separated list of ${NOTE_TYPES.join(', ')} (or all), got ${JSON.stringify(part)}`);
      types.push(part);
    }
  }
  let since: IsoDate | undefined;
  if (raw.notesSince !== undefined) {
    since = parseIsoDate(raw.notesSince);
    if (since === undefined) throw new OptionError('--notes-since', `expected a date YYYY-MM-DD, got ${JSON.stringify(raw.notesSince)}`);
  }
  if (raw.llm !== 'template' && raw.llm !== 'openai') {
    throw new OptionError('--llm', `expected template (offline, default) or openai (any OpenAI-compatible endpoint), got ${JSON.stringify(raw.llm)}`);
  }
  return {
    types,
    since,
    writer: raw.llm === 'template' ? 'template' : 'external',
    maxRetries: wholeNumber('--max-retries', raw.maxRetries, 0, 10),
  };
}

/** The LLM writer's options, validated (only read with `--llm openai`); a bad value names its flag. */
function llmOptionsFrom(raw: RawGenerateOptions): LlmOptions {
  return parseLlmOptions({
    model: raw.model,
    concurrency: raw.concurrency,
    rpm: raw.rpm,
    tpm: raw.tpm,
    cache: raw.cache,
    cachePath: raw.cachePath,
    maxRetries: raw.maxRetries,
    requestTimeout: raw.requestTimeout,
    temperature: raw.temperature,
    llmPrices: raw.llmPrices,
  });
}

export function registerGenerate(program: Command): void {
  const command = program
    .command('generate')
    .description('generate a cohort of synthetic patients as FHIR R4 transaction bundles and Bulk Data NDJSON')
    .option('--patients <n>', 'patients alive at the reference date (the deceased are extra)', '100')
    .option('--seed <s>', 'master seed, 0 to 2^53-1 (default: random, printed)')
    .option('--out <dir>', 'output folder', './output')
    .option('--reference-date <date>', "the simulation's now, YYYY-MM-DD (default: today, UTC)")
    .option('--age <min-max>', 'age range at the reference date, e.g. 18-64')
    .addOption(new Option('--gender <gender>', 'only one administrative gender').choices(['male', 'female']))
    .option('--state <code>', 'US state or DC (default: census-weighted mix)')
    .option('--workers <n>', 'worker threads (default: cores - 1)')
    .option('--shard <k/n|auto>', 'generate only patients with index = k mod n; auto reads Slurm, AWS Batch or Kubernetes')
    .option('--format <list>', 'outputs: fhir, ndjson or both', 'fhir,ndjson')
    .option('--no-deceased', 'leave out patients who died before the reference date')
    .option('--force', 'replace earlier output in --out')
    .option('--resume', 'finish an interrupted run in --out')
    .option('--notes [types]', `write clinical notes: all, or a comma-separated list of ${NOTE_TYPES.join(', ')}`)
    .option('--notes-since <date>', 'notes only for encounters on or after YYYY-MM-DD (cost control)')
    .option('--llm <writer>', 'note writer: template (offline) or openai (OPENAI_API_KEY, OPENAI_BASE_URL)', 'template')
    .option('--max-retries <n>', 'retries of a note that fails its grounding checks', '2')
    .option('--model <name>', 'LLM model (with --llm openai)')
    .option('--concurrency <n>', 'LLM requests in flight', '8')
    .option('--rpm <n>', 'LLM requests per minute (default unlimited)')
    .option('--tpm <n>', 'LLM tokens per minute (default unlimited)')
    .option('--request-timeout <seconds>', 'per-request LLM timeout', '120')
    .option('--cache <mode>', 'LLM response cache: read-write, read-only or off', 'read-write')
    .option('--cache-path <file>', 'LLM response cache file', DEFAULT_LLM_CACHE_PATH)
    .option('--llm-prices <file>', 'YAML or JSON price table overriding the bundled one')
    .option('--prompts <dir>', 'prompt templates folder (default: the bundled prompts/)')
    .option('--temperature <t>', 'LLM sampling temperature')
    .option('--validate', 'validate every resource before writing it (base R4 + claimed profiles of --ig IGs); fail the run on an error')
    .option('--ig <path>', 'with --validate: IG package folder or .tgz, e.g. hl7.fhir.us.core (repeatable)', (value: string, previous: string[]) => [...previous, value], [])
    .option('--quiet', 'print nothing but errors');
  // The memorization guard's options (shared with `chartwright dedup`).
  addGuardOptions(command).action(async (raw: RawGenerateOptions) => {
    const options = parseGenerateOptions(raw);
    const log = (line: string): void => {
      if (raw.quiet !== true) console.error(line);
    };
    log(`chartwright: seed ${options.seed}, ${options.patients} patients, reference date ${options.referenceDate}, out ${options.out}`);
    const progress = raw.quiet === true ? undefined : createProgress('patients');
    const { signal, dispose } = interruptSignal();
    const llm =
      options.notes?.writer === 'external'
        ? await openLlmRuntime(llmOptionsFrom(raw), { provider: { kind: 'openai' }, prompts: await loadPromptSet(raw.prompts), signal })
        : undefined;
    try {
      const result = await generate(options, {
        signal,
        ...(progress === undefined ? {} : { onProgress: (p) => progress.update(p.done, p.total, p.resources) }),
        ...(llm === undefined ? {} : { noteWriter: llm.writer, notesReport: () => ({ ...llm.summary() }) }),
      });
      progress?.stop();
      const m = result.manifest;
      if (result.alreadyComplete) {
        log(`chartwright: ${options.out} is already complete; nothing to do`);
        return;
      }
      const seconds = m.wallTimeMs / 1000;
      const usage = (m.notes?.usage as { total?: { promptTokens: number; completionTokens: number; cost: number | null } } | undefined)?.total;
      const cost = usage === undefined ? '' : `, ${usage.promptTokens + usage.completionTokens} tokens${usage.cost === null ? '' : ` (~$${usage.cost.toFixed(2)})`}`;
      const notes = m.notes === null ? '' : `, ${String(m.notes.kept)} notes (${String(m.notes.rejected)} rejected${cost})`;
      const validated =
        m.validation === null ? '' : `, all valid against base R4${m.validation.igs.map((ig) => ` + ${ig}`).join('')} (${m.validation.warnings} warnings)`;
      log(
        `chartwright: wrote ${m.counts.patients.living} living and ${m.counts.patients.deceased} deceased patients${notes}${validated}, ` +
          `${m.counts.totalResources} resources in ${seconds.toFixed(1)} s ` +
          `(${Math.round(m.counts.totalResources / Math.max(seconds, 1e-3))} resources/s) to ${options.out} [seed ${m.seed}, run tag ${m.runTag}]`,
      );
    } finally {
      progress?.stop();
      llm?.close();
      dispose();
    }
  });
}

import type { Command } from 'commander';
import { OptionError } from '../../errors.js';
import { TASKS, type CorpusTask } from '../../corpus/build.js';
import { FORMATS, type CorpusFormat } from '../../corpus/format.js';
import { parseSplitRatios } from '../../corpus/split.js';
import { parseOptions } from '../../core/option-schema.js';
import { loadTaskPrompts } from '../../corpus/llm-tasks.js';
import { loadVocabulary } from '../../notes/grounding/vocabulary.js';
import { formatLlmSummaryLine, LLM_OPTIONS, openLlmRuntime, type LlmOptions } from '../../notes/llm/llm-runtime.js';
import { loadPromptSet } from '../../notes/prompt-set.js';
import { CORPUS_LLM_OPTIONS, corpusLlmOptionsSchema, runCorpus } from '../../run/corpus.js';
import { interruptSignal } from '../interrupt.js';
import { addSchemaFlags, givenOptions } from '../schema-flags.js';

interface RawCorpusOptions {
  format: string;
  split: string;
  tasks: string;
  out?: string;
  balance?: string;
  seed?: string;
  json?: boolean;
}

function list<T extends string>(option: string, value: string, allowed: readonly T[]): T[] {
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new OptionError(option, `expected a comma-separated list of ${allowed.join(', ')}`);
  for (const item of items) if (!(allowed as readonly string[]).includes(item)) throw new OptionError(option, `unknown value "${item}" (expected ${allowed.join(', ')})`);
  return [...new Set(items)] as T[];
}

export function registerCorpus(program: Command): void {
  const command = program
    .command('corpus')
    .description('turn a generate output\'s annotated notes into NLP corpora (JSONL, bigbio_kb, BRAT, CoNLL, spaCy, i2b2 2014 XML), split by patient, with a datasheet')
    .argument('<OUT>', 'a `chartwright generate --notes` output folder')
    .option('--format <list>', `formats: ${FORMATS.join(',')}`, FORMATS.join(','))
    .option('--split <train/validation/test>', 'split shares by patient', '80/10/10')
    .option('--tasks <list>', `annotation layers and task corpora: ${TASKS.join(',')}`, TASKS.join(','))
    .option('--out <dir>', 'corpus folder (default OUT/corpus; replaced whole)')
    .option('--balance <label>', 'oversample training notes carrying this entity label, assertion or PHI type/category')
    .option('--seed <n>', 'split seed (default the generation seed)')
    .option('--json', 'print the summary as JSON');
  // The LLM flags are generate's (CORPUS_LLM_OPTIONS, src/run/corpus.ts): add one there, not here.
  addSchemaFlags(command, CORPUS_LLM_OPTIONS);
  command.action(async (input: string, raw: RawCorpusOptions) => {
      const formats = list<CorpusFormat>('--format', raw.format, FORMATS);
      const tasks = new Set<CorpusTask>(list<CorpusTask>('--tasks', raw.tasks, TASKS));
      const split = parseSplitRatios(raw.split);
      if (split === undefined) throw new OptionError('--split', `expected three shares like 80/10/10, got "${raw.split}"`);
      let seed: number | undefined;
      if (raw.seed !== undefined) {
        seed = Number(raw.seed);
        if (!Number.isSafeInteger(seed) || seed < 0) throw new OptionError('--seed', `expected a whole number >= 0, got "${raw.seed}"`);
      }
      const writer = parseOptions(corpusLlmOptionsSchema, givenOptions(command, CORPUS_LLM_OPTIONS));
      const { signal, dispose } = interruptSignal();
      const llmOptions = Object.fromEntries(Object.keys(LLM_OPTIONS).map((k) => [k, writer[k as keyof LlmOptions]])) as LlmOptions;
      const runtime = writer.llm === 'openai' ? await openLlmRuntime(llmOptions, { provider: { kind: 'openai' }, prompts: await loadPromptSet(writer.prompts), signal }) : undefined;
      let result: Awaited<ReturnType<typeof runCorpus>>;
      try {
        result = await runCorpus({
          input, out: raw.out, formats, tasks, split, seed, balance: raw.balance,
          llm: runtime === undefined ? undefined : {
            model: runtime.runner,
            prompts: await loadTaskPrompts(writer.prompts),
            vocabulary: await loadVocabulary(),
            maxRetries: writer.maxRetries,
            sampling: writer.temperature === undefined ? undefined : { temperature: writer.temperature },
            signal,
          },
        });
      } catch (error) {
        runtime?.close();
        throw error;
      } finally {
        dispose();
      }
      const usage = runtime?.summary();
      runtime?.close();
      if (raw.json === true) {
        process.stdout.write(`${JSON.stringify(usage === undefined ? result : { ...result, llmUsage: usage }, null, 2)}\n`);
        return;
      }
      if (usage !== undefined) process.stderr.write(`chartwright: ${formatLlmSummaryLine(usage)}\n`);
      const s = result.stats;
      const entities = Object.values(s.labels).reduce((a, b) => a + b, 0);
      const phi = Object.values(s.phiCategories).reduce((a, b) => a + b, 0);
      process.stdout.write(
        `chartwright: corpus of ${s.notes} notes (${s.patients} patients; train ${s.bySplit.train.notes}, validation ${s.bySplit.validation.notes}, test ${s.bySplit.test.notes}), ` +
          `${entities} entities, ${phi} PHI spans, in ${formats.join(', ')}; ${result.files} files in ${result.out} (${result.seconds.toFixed(1)} s); datasheet ${result.out}/README.md\n`,
      );
    });
}

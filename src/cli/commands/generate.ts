import type { Command } from 'commander';
import { openLlmRuntime } from '../../notes/llm/llm-runtime.js';
import { loadPromptSet } from '../../notes/prompt-set.js';
import { generateParsed } from '../../run/generate.js';
import { GENERATE_OPTIONS, parseGenerateOptions } from '../../run/options.js';
import { createProgress } from '../progress.js';
import { interruptSignal } from '../interrupt.js';
import { addSchemaFlags, givenOptions } from '../schema-flags.js';

export function registerGenerate(program: Command): void {
  const command = program
    .command('generate')
    .description('generate a cohort of synthetic patients as FHIR R4 transaction bundles and Bulk Data NDJSON');
  // Every flag comes from GENERATE_OPTIONS (src/run/options.ts): add an option there, not here.
  addSchemaFlags(command, GENERATE_OPTIONS).action(async () => {
    const options = parseGenerateOptions(givenOptions(command, GENERATE_OPTIONS));
    const quiet = options.values.quiet;
    const log = (line: string): void => {
      if (!quiet) console.error(line);
    };
    log(`chartwright: seed ${options.seed}, ${options.patients} patients, reference date ${options.referenceDate}, out ${options.out}`);
    const progress = quiet ? undefined : createProgress('patients');
    const { signal, dispose } = interruptSignal();
    const llm =
      options.notes?.writer === 'external'
        ? await openLlmRuntime(options.llm, { provider: { kind: 'openai' }, prompts: await loadPromptSet(options.values.prompts), signal })
        : undefined;
    try {
      const result = await generateParsed(options, {
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

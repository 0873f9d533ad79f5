import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureJavaConsumers } from './support/java-env.js';
import { ROOT, VENV_PYTHON } from './support/paths.js';
import { ensurePythonEnv } from './support/python-env.js';
import { runOrThrow } from './support/process.js';
import { COHORT_ARGS, COHORT_PATIENTS, JPA_COHORT_ARGS, JPA_PATIENTS, SMALL_COHORT_ARGS, SMALL_COHORT_PATIENTS } from './support/cohort.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Output folder of `generate` for the tier's cohort (see {@link COHORT_ARGS}). */
    interopCohort: string;
    /** Output folder of `generate` for the HAPI JPA server's cohort: one of the two others unless `CHARTWRIGHT_INTEROP_JPA_PATIENTS` asks for another size (see {@link JPA_PATIENTS}). */
    interopJpaCohort: string;
    /** Output folder of `generate` for the tier's 10-patient cohort (see {@link SMALL_COHORT_ARGS}): the NLP consumers' and, by default, the JPA server's. */
    interopSmallCohort: string;
    /** Scratch folder of this run (logs of the consumers, packed IGs, H2 files). */
    interopScratch: string;
    /** The tier's venv Python (.interop/venv), with every package of requirements.txt. */
    interopPython: string;
  }
}

/**
 * The interop tier installs what it needs by itself: the Java consumers (Maven, .interop/m2) and the
 * Python venv (.interop/venv) are built in parallel, each skipped when already current; then dist/
 * is compiled and the tier's two cohorts generated, shared by every test file: 100 patients with
 * notes (HAPI's validator) and 10 (the JPA server by default, and the NLP consumers). Consumers (JVMs) are started
 * and stopped by the test files that use them.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const started = Date.now();
  const scratch = mkdtempSync(join(tmpdir(), 'chartwright-interop-'));
  process.env.TMPDIR = scratch;
  const installs = Promise.all([ensureJavaConsumers(log), ensurePythonEnv(log)]);
  // Handled when awaited below; this keeps an early failure from counting as unhandled meanwhile.
  installs.catch(() => undefined);
  // Asynchronously, so Maven's and pip's output keeps draining while this runs.
  await runOrThrow('tsc', process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.json')], { cwd: ROOT });
  const cohort = join(scratch, 'cohort');
  const smallCohort = join(scratch, 'small-cohort');
  const jpaCohort = JPA_PATIENTS === COHORT_PATIENTS ? cohort : JPA_PATIENTS === SMALL_COHORT_PATIENTS ? smallCohort : join(scratch, 'jpa-cohort');
  const runs: [readonly string[], string][] = [
    // The large one on two workers: on 2 cores with the installs mostly waiting on the network (or
    // skipped), this keeps both cores busy; the output does not depend on the worker count.
    [[...COHORT_ARGS, '--workers', '2'], cohort],
    [SMALL_COHORT_ARGS, smallCohort],
  ];
  if (jpaCohort !== cohort && jpaCohort !== smallCohort) runs.push([JPA_COHORT_ARGS, jpaCohort]);
  // Asynchronously and side by side, so Maven's and pip's output keeps draining while they run.
  await Promise.all(
    runs.map(([args, out]) =>
      runOrThrow('chartwright generate', process.execPath, [join(ROOT, 'bin', 'chartwright.js'), 'generate', ...args, '--out', out, '--quiet'], { cwd: ROOT }),
    ),
  );
  await installs;
  log(`interop: ready in ${((Date.now() - started) / 1000).toFixed(0)} s (cohort in ${cohort})`);
  project.provide('interopCohort', cohort);
  project.provide('interopJpaCohort', jpaCohort);
  project.provide('interopSmallCohort', smallCohort);
  project.provide('interopScratch', scratch);
  project.provide('interopPython', VENV_PYTHON);
  return () => rmSync(scratch, { recursive: true, force: true });
}

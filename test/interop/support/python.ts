import { VENV_PYTHON } from './paths.js';
import { run, type RunResult } from './process.js';

/**
 * Runs a script with the tier's venv Python (built by global setup). A Python-based consumer test is
 * one vitest file: write what to check to a file, call this, assert on what the script prints.
 */
export function runPython(script: string, args: readonly string[] = []): Promise<RunResult> {
  return run(VENV_PYTHON, [script, ...args], { env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', HF_HUB_OFFLINE: '1', HF_DATASETS_OFFLINE: '1' } });
}

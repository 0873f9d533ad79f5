import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { digestOf, run, runOrThrow, stampMatches, writeStamp } from './process.js';
import { REQUIREMENTS, VENV, VENV_PYTHON, WHEELHOUSE } from './paths.js';

/** The Python that creates the venv: `CHARTWRIGHT_PYTHON`, else python3.11, else python3. */
async function basePython(): Promise<string> {
  if (process.env.CHARTWRIGHT_PYTHON !== undefined) return process.env.CHARTWRIGHT_PYTHON;
  for (const candidate of ['python3.11', 'python3']) {
    const probe = await run(candidate, ['-c', 'import sys; print(sys.version_info[:2] >= (3, 11))']).catch(() => undefined);
    if (probe?.code === 0 && probe.stdout.trim() === 'True') return candidate;
  }
  throw new Error('the interop tier needs Python 3.11 or newer (python3.11 or python3 on PATH, or CHARTWRIGHT_PYTHON)');
}

/**
 * Creates the tier's venv (.interop/venv) from the pinned requirements.txt. Downloads go to a
 * wheelhouse (.interop/wheels, built by `pip wheel`, so the one sdist is built once) and the venv is
 * installed from it with `--no-index`: the registry's answers carry no cache headers pip would keep,
 * so the wheelhouse is what makes a second install download nothing. Skipped when the venv's stamp
 * matches the requirements. Returns whether it installed.
 */
export async function ensurePythonEnv(log: (line: string) => void): Promise<boolean> {
  const stamp = join(VENV, 'chartwright-stamp');
  const python = await basePython();
  const version = (await runOrThrow('python --version', python, ['--version'])).stdout.trim();
  const digest = digestOf([REQUIREMENTS], [version]);
  if (stampMatches(stamp, digest) && existsSync(VENV_PYTHON)) return false;
  const started = Date.now();
  log('interop: creating the Python venv in .interop/venv (the first install downloads about 200 MB of wheels into .interop/wheels)');
  rmSync(VENV, { recursive: true, force: true });
  mkdirSync(WHEELHOUSE, { recursive: true });
  await runOrThrow('python -m venv', python, ['-m', 'venv', VENV]);
  const pip = (args: readonly string[]): Promise<unknown> =>
    runOrThrow(`pip ${args[0]}`, VENV_PYTHON, ['-m', 'pip', '--disable-pip-version-check', '--no-input', ...args]);
  // --no-compile: no .pyc for the whole 850 MB venv at install; the tier runs with
  // PYTHONDONTWRITEBYTECODE and compiles only the modules it imports.
  const offline = ['install', '--no-compile', '--no-index', '--find-links', WHEELHOUSE, '-r', REQUIREMENTS];
  const fromWheelhouse = await run(VENV_PYTHON, ['-m', 'pip', '--disable-pip-version-check', '--no-input', ...offline]);
  if (fromWheelhouse.code !== 0) {
    await pip(['wheel', '--wheel-dir', WHEELHOUSE, '--find-links', WHEELHOUSE, '-r', REQUIREMENTS]);
    await pip(offline);
  }
  writeStamp(stamp, digest);
  log(`interop: Python venv ready in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return true;
}

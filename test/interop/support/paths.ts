import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * Everything the interop tier downloads or builds lives here (git-ignored), so a second run on the
 * same machine downloads nothing: Maven's local repository, the pip wheelhouse, the venv, the
 * compiled consumers. Deleting it gives a cold run. `CHARTWRIGHT_INTEROP_DIR` moves it.
 */
export const INTEROP_DIR = process.env.CHARTWRIGHT_INTEROP_DIR ?? join(ROOT, '.interop');

export const JAVA_PROJECT = join(ROOT, 'test', 'interop', 'java');
export const MAVEN_REPO = join(INTEROP_DIR, 'm2');
export const JAVA_BUILD = join(INTEROP_DIR, 'java');
/** Written by Maven's dependency plugin: the consumers' runtime classpath. */
export const JAVA_CLASSPATH_FILE = join(JAVA_BUILD, 'classpath.txt');


export const REQUIREMENTS = join(ROOT, 'test', 'interop', 'python', 'requirements.txt');
export const WHEELHOUSE = join(INTEROP_DIR, 'wheels');
export const VENV = join(INTEROP_DIR, 'venv');
export const VENV_PYTHON = join(VENV, 'bin', 'python');

/** US Core 6.1.0 as the project's tests reach it (see the developers' guide). */
export const US_CORE_FOLDER = join(ROOT, '..', 'shared', 'fhir', 'us-core-6.1.0');

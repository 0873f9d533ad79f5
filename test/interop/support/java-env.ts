import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { digestOf, runOrThrow, stampMatches, writeStamp } from './process.js';
import { JAVA_BUILD, JAVA_CLASSPATH_FILE, JAVA_PROJECT, MAVEN_REPO } from './paths.js';

/**
 * Builds the Java consumers (test/interop/java) with Maven into .interop/java, with a project-local
 * Maven repository in .interop/m2 so downloads are kept between runs and nothing outside the
 * project is written. Skipped when the stamp says the pom and sources are unchanged since the last
 * successful build. Returns whether it built.
 */
export async function ensureJavaConsumers(log: (line: string) => void): Promise<boolean> {
  const stamp = join(JAVA_BUILD, 'stamp');
  const digest = digestOf([join(JAVA_PROJECT, 'pom.xml'), join(JAVA_PROJECT, 'src')]);
  if (stampMatches(stamp, digest)) return false;
  mkdirSync(JAVA_BUILD, { recursive: true });
  const started = Date.now();
  log('interop: building the HAPI FHIR consumers with Maven (the first build downloads about 320 MB into .interop/m2)');
  await runOrThrow('Maven build of test/interop/java', 'mvn', [
    '-B',
    '-q',
    '--no-transfer-progress',
    `-Dmaven.repo.local=${MAVEN_REPO}`,
    `-Dinterop.build.dir=${join(JAVA_BUILD, 'target')}`,
    '-f',
    join(JAVA_PROJECT, 'pom.xml'),
    'compile',
    'dependency:build-classpath',
    `-Dmdep.outputFile=${JAVA_CLASSPATH_FILE}`,
  ]);
  writeStamp(stamp, digest);
  log(`interop: Java consumers built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return true;
}

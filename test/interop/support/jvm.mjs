// Starts and stops the interop tier's Java consumers (test/interop/java, built into .interop/java by
// java-env.ts). Plain JavaScript so the bench suite (bench/suites/hapi-upload.js) shares it with the
// vitest files.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * @typedef {object} RunningConsumer
 * @property {string} url what the consumer printed after "listening on": its loopback base URL
 * @property {number} pid
 * @property {string} logFile where its stderr goes (quoted when it fails to start)
 * @property {() => number} cpuSeconds CPU seconds the JVM has used (user + system, from /proc)
 * @property {() => Promise<void>} stop SIGTERM, then SIGKILL after 30 s
 */

/** Whether the Java consumers are built in `interopDir` (the bench skips otherwise). */
export function javaConsumersInstalled(interopDir) {
  return existsSync(join(interopDir, 'java', 'stamp')) && existsSync(join(interopDir, 'java', 'classpath.txt'));
}

const live = new Set();
// A test worker that dies must not leave a JVM listening behind it.
process.once('exit', () => {
  for (const pid of live) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/**
 * Starts a consumer and resolves once it prints `listening on <url>` (each binds 127.0.0.1 only);
 * rejects with the end of its log if it exits first or takes longer than `startTimeoutMs`.
 * @param {{ interopDir: string, mainClass: string, args: readonly string[], heap: string,
 *   extraClasspath?: readonly string[], logDir: string, startTimeoutMs?: number }} options
 * @returns {Promise<RunningConsumer>}
 */
export function startConsumer(options) {
  const classpath = [
    join(options.interopDir, 'java', 'target', 'classes'),
    readFileSync(join(options.interopDir, 'java', 'classpath.txt'), 'utf8').trim(),
    ...(options.extraClasspath ?? []),
  ].join(':');
  const logFile = join(options.logDir, `${options.mainClass.split('.').pop()}.log`);
  const log = createWriteStream(logFile);
  // Throughput collector: these are batch workloads; pauses do not matter, GC CPU does.
  const child = spawn('java', [`-Xmx${options.heap}`, '-XX:+UseParallelGC', '-cp', classpath, options.mainClass, ...options.args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr.pipe(log);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const timeoutMs = options.startTimeoutMs ?? 900_000;
  return new Promise((resolve, reject) => {
    let stdout = '';
    const fail = (why) => {
      child.kill('SIGKILL');
      let tail = '';
      try {
        tail = readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
      } catch {
        // no log yet
      }
      reject(new Error(`${options.mainClass} ${why}\n${stdout}\n${tail}`));
    };
    const timer = setTimeout(() => fail(`did not start within ${timeoutMs / 1000} s`), timeoutMs);
    const onEarlyExit = (code) => {
      clearTimeout(timer);
      fail(`exited with ${code} before it was ready`);
    };
    child.once('exit', onEarlyExit);
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+\S*)/.exec(stdout);
      if (match === null || stdout === '') return;
      clearTimeout(timer);
      child.off('exit', onEarlyExit);
      live.add(child.pid);
      stdout = '';
      resolve({
        url: match[1],
        pid: child.pid,
        logFile,
        cpuSeconds: () => {
          const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
          return (Number(fields[11]) + Number(fields[12])) / 100;
        },
        stop: async () => {
          live.delete(child.pid);
          if (child.exitCode === null && child.signalCode === null) {
            child.kill('SIGTERM');
            const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
            await exited;
            clearTimeout(killer);
          }
          log.end();
        },
      });
    });
  });
}

#!/usr/bin/env node
// Chartwright's benchmark runner: `npm run bench` (= build, then `node --expose-gc bench/run.js`).
//
// Imports every bench/suites/*.js (sorted by name), calls `run(ctx)` on each with
// ctx = { root, workDir, quick }, prints one aligned table and writes bench/results.json.
// Flags: --quick (or BENCH_QUICK=1) for small sizes; --suite NAME to run one suite.
// A suite that throws becomes one "error" row and the run goes on.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const benchDir = dirname(fileURLToPath(import.meta.url));
const root = dirname(benchDir);

function parseArgs(argv) {
  const args = { quick: process.env.BENCH_QUICK === '1', suite: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') args.quick = true;
    else if (arg === '--suite') args.suite = argv[++i];
    else if (arg.startsWith('--suite=')) args.suite = arg.slice('--suite='.length);
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write('usage: node --expose-gc bench/run.js [--quick] [--suite NAME]\n');
      process.exit(0);
    } else {
      process.stderr.write(`bench: unknown argument ${arg}\n`);
      process.exit(2);
    }
  }
  if (args.suite === '') args.suite = undefined;
  return args;
}

function gitCommit() {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

function machineInfo() {
  const cpuList = cpus();
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpuList.length,
    cpuModel: cpuList[0]?.model ?? null,
    totalMemoryBytes: totalmem(),
    date: new Date().toISOString(),
    commit: gitCommit(),
  };
}

function formatValue(value) {
  if (typeof value !== 'number') return String(value ?? '');
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 1 : abs >= 1 ? 2 : 4;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function printTable(rows) {
  const headers = ['suite', 'case', 'metric', 'value', 'unit'];
  const cells = rows.map((row) => [String(row.suite ?? ''), String(row.case ?? ''), String(row.metric ?? ''), formatValue(row.value), String(row.unit ?? '')]);
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) =>
    c.map((cell, i) => (i === 3 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join(' | ').trimEnd();
  const out = [line(headers), widths.map((w) => '-'.repeat(w)).join('-|-'), ...cells.map(line)];
  process.stdout.write(out.join('\n') + '\n');
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const suitesDir = join(benchDir, 'suites');
  let files = readdirSync(suitesDir).filter((f) => f.endsWith('.js')).sort();
  if (args.suite !== undefined) {
    files = files.filter((f) => basename(f, '.js') === args.suite);
    if (files.length === 0) {
      process.stderr.write(`bench: no suite named ${args.suite} in bench/suites/\n`);
      process.exit(2);
    }
  }
  if (typeof global.gc !== 'function') {
    process.stderr.write('bench: note: run with node --expose-gc for in-process GC measurements\n');
  }

  const workRoot = join(benchDir, '.work');
  const workDir = join(workRoot, `run-${process.pid}-${Date.now()}`);
  mkdirSync(workDir, { recursive: true });
  const rows = [];
  const started = Date.now();
  try {
    for (const file of files) {
      const name = basename(file, '.js');
      const suiteWork = join(workDir, name);
      mkdirSync(suiteWork, { recursive: true });
      const suiteStart = Date.now();
      process.stderr.write(`bench: ${name}${args.quick ? ' (quick)' : ''}...\n`);
      try {
        const mod = await import(pathToFileURL(join(suitesDir, file)).href);
        if (typeof mod.run !== 'function') throw new Error(`${file} exports no run(ctx)`);
        const result = await mod.run({ root, workDir: suiteWork, quick: args.quick });
        if (!Array.isArray(result)) throw new Error(`${file}: run(ctx) returned no array of rows`);
        for (const row of result) rows.push({ suite: row.suite ?? name, case: row.case ?? '', metric: row.metric ?? '', value: row.value, unit: row.unit ?? '' });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        process.stderr.write(`bench: ${name} failed: ${message}\n`);
        rows.push({ suite: name, case: '-', metric: 'error', value: message.split('\n')[0], unit: '' });
      } finally {
        rmSync(suiteWork, { recursive: true, force: true });
        process.stderr.write(`bench: ${name} done in ${((Date.now() - suiteStart) / 1000).toFixed(1)} s\n`);
      }
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
    try {
      if (readdirSync(workRoot).length === 0) rmSync(workRoot, { recursive: true, force: true });
    } catch {
      // another bench run may hold it; leave it
    }
  }

  printTable(rows);
  const results = {
    quick: args.quick,
    suite: args.suite ?? null,
    totalSeconds: (Date.now() - started) / 1000,
    machine: machineInfo(),
    rows,
  };
  const target = join(benchDir, 'results.json');
  const temp = `${target}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(results, null, 2) + '\n');
  renameSync(temp, target);
  process.stderr.write(`bench: wrote ${target}\n`);
}

main().catch((error) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

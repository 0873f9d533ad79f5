// Child process for the generation bench: runs `generate()` from the compiled dist/ in-process,
// forces GC at the end and prints one JSON line { wallMs, heapUsedAfterGc, maxRssBytes, manifest }.
// Start it with `node --expose-gc bench/helpers/generate-child.js '<json options>'`.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const input = JSON.parse(process.argv[2] ?? '{}');
const dist = (p) => pathToFileURL(join(input.root, 'dist', p)).href;
const { generate } = await import(dist('run/generate.js'));
// The library validates these with the same schema as the CLI's flags.
const options = {
  patients: input.patients,
  seed: input.seed,
  out: input.out,
  referenceDate: input.referenceDate,
  workers: input.workers,
};

if (typeof global.gc !== 'function') throw new Error('generate-child needs node --expose-gc');
const started = process.hrtime.bigint();
const result = await generate(options);
const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
// Two passes: the first can leave finalizer-held objects for the second.
global.gc();
await new Promise((resolve) => setImmediate(resolve));
global.gc();
const memory = process.memoryUsage();
process.stdout.write(
  JSON.stringify({
    wallMs,
    heapUsedAfterGc: memory.heapUsed,
    rssAfterGc: memory.rss,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    manifest: result.manifest,
  }) + '\n',
);

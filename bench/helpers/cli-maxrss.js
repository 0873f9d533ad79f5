// Runs the CLI in this process and, on exit, prints its peak RSS and CPU time (user and system,
// all threads: worker threads included) as one JSON line on stderr:
// {"maxRssBytes":N,"userCpuMs":N,"systemCpuMs":N}. The fallback for peak RSS when /usr/bin/time is
// missing, and the way to time a CLI run in CPU rather than wall time on a shared machine.
// Usage: node cli-maxrss.js ROOT ARGS...
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [root, ...args] = process.argv.slice(2);
process.on('exit', () => {
  const usage = process.resourceUsage();
  process.stderr.write(`\n${JSON.stringify({ maxRssBytes: usage.maxRSS * 1024, userCpuMs: usage.userCPUTime / 1000, systemCpuMs: usage.systemCPUTime / 1000 })}\n`);
});
const cli = await import(pathToFileURL(join(root, 'dist', 'cli', 'main.js')).href);
await cli.main([process.argv[0], 'chartwright', ...args]);

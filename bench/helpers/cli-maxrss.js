// Fallback when /usr/bin/time is missing: runs the CLI in this process and, on exit, prints its
// peak RSS as one JSON line on stderr: {"maxRssBytes":N}. Usage: node cli-maxrss.js ROOT ARGS...
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [root, ...args] = process.argv.slice(2);
process.on('exit', () => {
  process.stderr.write(`\n${JSON.stringify({ maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
});
const cli = await import(pathToFileURL(join(root, 'dist', 'cli', 'main.js')).href);
await cli.main([process.argv[0], 'chartwright', ...args]);

#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm install` (the `prepare` script).
import('../dist/cli/main.js').then((cli) => cli.main(process.argv)).catch((error) => {
  console.error(`chartwright: cannot start (${error instanceof Error ? error.message : String(error)}); run \`npm install\` to build it.`);
  process.exit(1);
});

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Tests that spawn the CLI or start worker threads run the compiled `dist/`; compile it once per
 * test run so they always see the current source.
 */
export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', `${root}tsconfig.json`], {
    cwd: root,
    stdio: 'inherit',
  });
}

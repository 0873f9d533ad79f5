import type { Command } from 'commander';
import { ChartwrightError } from '../../errors.js';

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('generate a cohort of synthetic patients as FHIR R4 bundles and NDJSON')
    .action(() => {
      throw new ChartwrightError('INTERNAL', 'generate is being built');
    });
}

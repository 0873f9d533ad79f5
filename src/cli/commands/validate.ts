import type { Command } from 'commander';
import { OptionError, ValidationFailedError } from '../../errors.js';
import { formatReport, validatePaths } from '../../fhir/validation/index.js';

interface ValidateOptions {
  ig: string[];
  json?: boolean;
  maxErrors: string;
  outcomes?: string;
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('validate FHIR Bundles, resources or NDJSON against base R4 and loaded IG profiles')
    .argument('<paths...>', 'files or folders (Bundles, loose resources, NDJSON)')
    .option('--ig <path>', 'IG package folder or .tgz to load (repeatable)', (value: string, previous: string[]) => [...previous, value], [])
    .option('--json', 'print the report as JSON')
    .option('--max-errors <n>', 'errors to print in full', '20')
    .option('--outcomes <file>', 'where to write the OperationOutcomes (default: validation.json in the first input folder)')
    .action(async (paths: string[], options: ValidateOptions) => {
      const maxErrors = Number(options.maxErrors);
      if (!Number.isInteger(maxErrors) || maxErrors < 0) throw new OptionError('--max-errors', 'must be a whole number >= 0');
      const report = await validatePaths(paths, options.outcomes === undefined ? { igPaths: options.ig } : { igPaths: options.ig, outcomeFile: options.outcomes });
      console.log(options.json === true ? JSON.stringify(report, null, 2) : formatReport(report, maxErrors));
      if (report.errors > 0) throw new ValidationFailedError(`${report.errors} errors in ${report.failingResources} resources`);
    });
}

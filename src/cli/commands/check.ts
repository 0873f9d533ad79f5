import { join } from 'node:path';
import type { Command } from 'commander';
import { CheckFailedError, IoError, OptionError } from '../../errors.js';
import { auditCohort } from '../../check/audit.js';
import { formatReport } from '../../check/report-text.js';
import { writeFileAtomic } from '../../sinks/atomic.js';

interface RawCheckOptions {
  json?: boolean;
  examples: string;
}

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('audit a generated cohort: coherence checks with violation counts and examples, and the prevalence table against US bands')
    .argument('<out>', 'the --out folder of `chartwright generate`')
    .option('--json', 'print the report as JSON (it is always written to OUT/check.json)')
    .option('--examples <n>', 'examples kept per check', '5')
    .action(async (out: string, raw: RawCheckOptions) => {
      if (!/^\d+$/.test(raw.examples) || Number(raw.examples) > 1000) {
        throw new OptionError('--examples', `expected a whole number from 0 to 1000, got ${JSON.stringify(raw.examples)}`);
      }
      const report = await auditCohort(out, { examplesPerRule: Number(raw.examples) });
      const json = `${JSON.stringify(report, null, 2)}\n`;
      // Print first: a read-only OUT still gets its report, then one line about check.json.
      process.stdout.write(raw.json === true ? json : `${formatReport(report)}\n`);
      try {
        writeFileAtomic(join(out, 'check.json'), json, join(out, '.chartwright'));
      } catch (error) {
        throw new IoError(`cannot write ${join(out, 'check.json')}: ${(error as Error).message}`, { cause: error });
      }
      if (!report.ok) {
        // The report above says what failed; one line on stderr says that it did (exit 1).
        throw new CheckFailedError(report.checks.filter((c) => c.status === 'fail').length, report.fidelity.filter((r) => r.status === 'fail').length);
      }
    });
}

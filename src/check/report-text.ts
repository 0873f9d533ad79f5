import type { CheckReport } from './audit.js';
import type { FidelityRow } from './fidelity.js';

function formatValue(row: FidelityRow): string {
  if (row.value === null) return '-';
  if (row.kind === 'mean-difference') return `${row.value >= 0 ? '+' : ''}${row.value.toFixed(2)}`;
  return `${(row.value * 100).toFixed(1)}%`;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** The human report: checks with counts and examples, then the prevalence table against its bands. */
export function formatReport(report: CheckReport): string {
  const lines: string[] = [];
  lines.push(
    `chartwright check ${report.out}: ${report.bundles} bundles, ${report.resources} resources, ` +
      `${report.patients.living} living and ${report.patients.deceased} deceased patients`,
  );
  lines.push('', 'Coherence checks');
  for (const c of report.checks) {
    lines.push(`  ${c.status === 'pass' ? 'PASS' : 'FAIL'}  ${pad(c.id, 38)} ${c.violations} violation${c.violations === 1 ? '' : 's'}  (${c.title})`);
    for (const e of c.examples) lines.push(`          - ${e.file}${e.resource === null ? '' : ` ${e.resource}`}: ${e.message}`);
    if (c.violations > c.examples.length) lines.push(`          ... and ${c.violations - c.examples.length} more`);
  }
  lines.push('', 'Fidelity (living patients at the reference date)');
  lines.push(`  ${pad('status', 8)} ${pad('measure', 62)} ${pad('value', 8)} ${pad('n', 12)} ${pad('target', 22)} US figure (source)`);
  for (const r of report.fidelity) {
    const status = r.status === 'pass' ? 'PASS' : r.status === 'fail' ? 'FAIL' : 'n/a';
    const n = r.kind === 'mean-difference' && r.groups !== undefined ? `${r.groups.inGroup.n}/${r.groups.others.n}` : `${r.numerator}/${r.denominator}`;
    const note = r.status === 'insufficient-data' ? ' [insufficient data]' : '';
    lines.push(`  ${pad(status, 8)} ${pad(r.label, 62)} ${pad(formatValue(r), 8)} ${pad(n, 12)} ${pad(r.target, 22)} ${r.usFigure} (${r.source})${note}`);
  }
  const failedChecks = report.checks.filter((c) => c.status === 'fail').length;
  const failedRows = report.fidelity.filter((r) => r.status === 'fail').length;
  lines.push('', report.ok ? 'result: PASS' : `result: FAIL (${failedChecks} check${failedChecks === 1 ? '' : 's'} failed, ${failedRows} fidelity row${failedRows === 1 ? '' : 's'} off band)`);
  return lines.join('\n');
}

/**
 * `chartwright dedup`'s plain-text report: one line per flagged span or pair, then a summary.
 */
import type { Finding } from './findings.js';
import type { DedupReport } from './run-dedup.js';

function formatFinding(f: Finding): string {
  if (f.kind === 'exact-overlap') {
    return `exact-overlap   ${f.query.id} [${f.query.start}-${f.query.end}] = ${f.reference.id} [${f.reference.start}-${f.reference.end}]  ${f.tokens} tokens  "${f.excerpt}"`;
  }
  return `near-duplicate  ${f.queryId} ~ ${f.referenceId}  Jaccard ${f.jaccard.toFixed(3)} (MinHash ${f.estimate.toFixed(3)})`;
}

const percent = (share: number): string => `${(100 * share).toFixed(2)}%`;

/** The report as lines of text; `withinGroup` prints same-group findings too. */
export function formatDedupReport(report: DedupReport, withinGroup: boolean): string {
  const lines = report.findings.filter((f) => withinGroup || !f.sameGroup).map(formatFinding);
  const s = report.summary;
  const p = report.params;
  lines.push(
    `chartwright: ${report.documents} documents checked against ${report.references} references and each other ` +
      `(spans >= ${p.minSpan} tokens; Jaccard >= ${p.jaccard} on word ${p.ngram}-grams, MinHash ${p.numPerm} permutations, ${p.bands} bands x ${p.rows} rows) ` +
      `in ${s.seconds.toFixed(1)} s: ${s.flaggedDocuments} flagged, ${s.exactOverlaps} shared spans, ${s.nearDuplicates} near-duplicate pairs` +
      (s.valueListOverlaps > 0 ? `; ${s.valueListOverlaps} shared value lists (vitals, lab panels) not flagged (--flag-value-lists flags them)` : ''),
  );
  if (report.groups.length > 0) {
    const worstNear = Math.max(0, ...report.groups.map((g) => g.nearDuplicates / g.documents));
    const worstExact = Math.max(0, ...report.groups.map((g) => g.exactOverlaps / g.documents));
    lines.push(
      `chartwright: across ${report.groups.length} patients, ${percent(s.nearDuplicateShare)} of documents have a near duplicate in another patient's ` +
        `(highest per patient ${percent(worstNear)}) and ${percent(s.exactOverlapShare)} share a span with one (highest ${percent(worstExact)}); ` +
        `within patients: ${s.withinGroupExactOverlaps} shared spans, ${s.withinGroupNearDuplicates} near-duplicate pairs${withinGroup ? '' : ' (not flagged)'}`,
    );
  }
  return lines.join('\n');
}

/**
 * When each lab report is issued: hours after collection, stat in the emergency department and on
 * the ward, later the same day or the next for clinic specimens; never past the end of the record.
 * The delay comes from a hash of the report id, so adding it draws nothing from the patient's streams.
 */
import { loadLabTurnaround } from '../knowledge/lab-turnaround.js';
import { murmur3String } from '../core/murmur3.js';
import type { Instant } from '../core/time.js';
import type { Encounter, LabReport } from '../record/types.js';

export function withIssued(reports: readonly LabReport[], encounters: readonly Encounter[], end: Instant): LabReport[] {
  const { hours } = loadLabTurnaround();
  const classOf = new Map(encounters.map((e) => [e.id, e.class]));
  return reports.map((r) => {
    const cls = classOf.get(r.encounterId);
    const [lo, hi] = cls === 'EMER' || cls === 'IMP' ? hours.acute : hours.ambulatory;
    const u = murmur3String(r.id) / 2 ** 32;
    const issued = Math.min(end, r.time + Math.round((lo + (hi - lo) * u) * 60) * 60_000);
    return { ...r, issued: Math.max(r.time, Math.floor(issued / 60_000) * 60_000) };
  });
}

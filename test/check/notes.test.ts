import { beforeAll, describe, expect, it } from 'vitest';
import { auditCohort, type CheckReport } from '../../src/check/audit.js';
import { tempDir } from '../support/cli.js';
import { miniBundle, nextId, urn, writeCohort, type Bundle, type Resource } from './builders.js';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** A patient with an encounter, its radiology note as DocumentReference and as DiagnosticReport. */
function notes(edit: (parts: { encounter: Resource; doc: Resource; report: Resource }) => void = () => {}): Bundle {
  return miniBundle({ birthDate: '1960-01-01' }, (pid) => {
    const encounter: Resource = {
      resourceType: 'Encounter',
      id: nextId(),
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
      subject: { reference: urn(pid) },
      period: { start: '2024-01-02T10:00:00Z', end: '2024-01-02T10:30:00Z' },
    };
    const text = b64('EXAM: Plain chest X-ray\nIMPRESSION: No acute process.');
    const doc: Resource = {
      resourceType: 'DocumentReference',
      id: nextId(),
      status: 'current',
      type: { coding: [{ system: 'http://loinc.org', code: '18748-4' }] },
      subject: { reference: urn(pid) },
      date: '2024-01-02T10:30:00Z',
      content: [{ attachment: { contentType: 'text/plain; charset=utf-8', data: text } }],
      context: { encounter: [{ reference: urn(encounter.id) }] },
    };
    const report: Resource = {
      resourceType: 'DiagnosticReport',
      id: nextId(),
      status: 'final',
      category: [{ coding: [{ system: 'http://loinc.org', code: 'LP29684-5' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: '18748-4' }] },
      subject: { reference: urn(pid) },
      encounter: { reference: urn(encounter.id) },
      effectiveDateTime: '2024-01-02T10:00:00Z',
      issued: '2024-01-02T10:30:00.000Z',
      presentedForm: [{ contentType: 'text/plain; charset=utf-8', data: text }],
    };
    edit({ encounter, doc, report });
    return [encounter, doc, report];
  });
}

describe('check: clinical.note-text', () => {
  const out = tempDir('chartwright-check-notes-');
  let report: CheckReport;
  const broken = new Map<string, string>([
    ['empty-note', 'has no readable text'],
    ['note-without-encounter', 'is not an Encounter of the bundle'],
    ['report-without-text', 'note report has no readable text'],
    ['report-text-differs', 'text differs from DocumentReference/'],
    ['report-without-note', 'no DocumentReference of type 18748-4'],
  ]);

  beforeAll(async () => {
    writeCohort(
      out,
      new Map<string, Bundle>([
        ['valid', notes()],
        ['empty-note', notes(({ doc }) => ((doc['content'] as { attachment: { data: string } }[])[0]!.attachment.data = ''))],
        ['note-without-encounter', notes(({ doc }) => (doc['context'] = { encounter: [{ reference: urn(nextId()) }] }))],
        ['report-without-text', notes(({ report }) => (report['presentedForm'] = []))],
        ['report-text-differs', notes(({ report }) => (report['presentedForm'] = [{ contentType: 'text/plain', data: b64('Other text.') }]))],
        ['report-without-note', notes(({ doc }) => (doc['type'] = { coding: [{ system: 'http://loinc.org', code: '11506-3' }] }))],
      ]),
    );
    report = await auditCohort(out, { examplesPerRule: 100 });
  });

  it('passes the valid notes and flags each breakage with its own message', () => {
    const rule = report.checks.find((c) => c.id === 'clinical.note-text')!;
    expect(rule.status).toBe('fail');
    expect(rule.examples.filter((e) => e.file === 'valid.json')).toEqual([]);
    for (const [name, message] of broken) {
      const hits = rule.examples.filter((e) => e.file === `${name}.json`);
      expect(hits.length, name).toBeGreaterThan(0);
      expect(hits.map((h) => h.message).join('\n'), name).toContain(message);
    }
  });
});

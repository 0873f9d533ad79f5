import { beforeAll, describe, expect, it } from 'vitest';
import { auditCohort, type CheckReport } from '../../src/check/audit.js';
import { planSection } from '../../src/check/note-visit.js';
import { tempDir } from '../support/cli.js';
import { condition, immunization, miniBundle, nextId, urn, writeCohort, type Bundle, type Resource } from './builders.js';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
const LUNG_CANCER = '93880001';

/** One visit and its progress note: by the clinic's physician, or the hospital's medical oncologist for a lung cancer. */
function visit(text: string, opts: { vaccine?: boolean; oncologist?: boolean } = {}): Bundle {
  return miniBundle({ birthDate: '1950-01-01' }, (pid) => {
    const practitioner: Resource = {
      resourceType: 'Practitioner',
      id: nextId(),
      qualification: [{ code: { coding: [{ system: 'http://nucc.org/provider-taxonomy', code: opts.oncologist === true ? '207RX0202X' : '207Q00000X' }] } }],
    };
    const cancer = condition(pid, LUNG_CANCER);
    (cancer['code'] as { coding: { display?: string }[]; text?: string }).coding[0]!.display = 'Primary malignant neoplasm of lung (disorder)';
    const encounter: Resource = {
      resourceType: 'Encounter',
      id: nextId(),
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
      subject: { reference: urn(pid) },
      participant: [{ individual: { reference: urn(practitioner.id) } }],
      period: { start: '2024-01-02T10:00:00Z', end: '2024-01-02T10:30:00Z' },
      ...(opts.oncologist === true ? { reasonReference: [{ reference: urn(cancer.id) }] } : {}),
    };
    const doc: Resource = {
      resourceType: 'DocumentReference',
      id: nextId(),
      status: 'current',
      type: { coding: [{ system: 'http://loinc.org', code: '11506-3' }] },
      subject: { reference: urn(pid) },
      date: '2024-01-02T10:30:00Z',
      content: [{ attachment: { contentType: 'text/plain; charset=utf-8', data: b64(text) } }],
      context: { encounter: [{ reference: urn(encounter.id) }] },
    };
    const shot = immunization(pid, '140', '2024-01-02T10:15:00Z');
    shot['encounter'] = { reference: urn(encounter.id) };
    return [practitioner, cancer, encounter, doc, ...(opts.vaccine === true ? [shot] : [])];
  });
}

const SHOT_NOTE = 'Chief Complaint:\nImmunizations\n\nSubjective:\nThe patient is seen today for scheduled immunizations.\n\nPlan:\nEncounter for immunization.';
const ONCOLOGY_NOTE = 'Chief Complaint:\nCycle 3 of chemotherapy\n\nAssessment and Plan:\nLung cancer, stage III: proceed with cycle 3 of chemotherapy today. Next: cycle 4 of chemotherapy in 3 weeks.';
const PCP_PLAN_NOTE = 'Chief Complaint:\nf/u lung ca\n\nAssessment and Plan:\nT2DM: A1c 7.9%, not at goal. HTN: continue lisinopril. Return in 6 months.';

describe('check: clinical.note-visit-kind', () => {
  const out = tempDir('chartwright-check-note-visit-');
  let report: CheckReport;

  beforeAll(async () => {
    writeCohort(
      out,
      new Map<string, Bundle>([
        ['shot-given', visit(SHOT_NOTE, { vaccine: true })],
        ['shot-missing', visit(SHOT_NOTE)],
        ['oncology-on-cancer', visit(ONCOLOGY_NOTE, { oncologist: true })],
        ['oncology-on-diabetes', visit(PCP_PLAN_NOTE, { oncologist: true })],
        ['oncology-worded-as-shot', visit(SHOT_NOTE, { oncologist: true })],
        ['pcp-on-diabetes', visit(PCP_PLAN_NOTE)],
      ]),
    );
    report = await auditCohort(out, { examplesPerRule: 100 });
  });

  const hits = (file: string): string[] => report.checks.find((c) => c.id === 'clinical.note-visit-kind')!.examples.filter((e) => e.file === `${file}.json`).map((e) => e.message);

  it('passes an immunization note with its vaccine, an oncology plan on the cancer, and a PCP plan on diabetes', () => {
    expect(hits('shot-given')).toEqual([]);
    expect(hits('oncology-on-cancer')).toEqual([]);
    expect(hits('pcp-on-diabetes')).toEqual([]);
  });

  it('flags immunization wording without a vaccine given at the encounter', () => {
    expect(hits('shot-missing').join('\n')).toContain('worded as an immunization visit, but no Immunization was given');
    expect(hits('oncology-worded-as-shot').join('\n')).toContain('worded as an immunization visit');
  });

  it("flags a specialist's plan that manages the PCP's problems instead of the visit's reason", () => {
    expect(hits('oncology-on-diabetes').join('\n')).toContain("plan does not address the visit's reason (primary malignant neoplasm of lung)");
    expect(hits('oncology-worded-as-shot').join('\n')).toContain("plan does not address the visit's reason");
  });

  it('reads the last assessment/plan section of a note', () => {
    expect(planSection('HPI:\nplanned visit\n\nA/P:\nLung ca: surveillance.')).toBe('\nLung ca: surveillance.');
    expect(planSection('IMPRESSION AND RECOMMENDATIONS:\nCKD stage 4.')).toBe('\nCKD stage 4.');
    expect(planSection('HPI:\nno plan here.')).toBeUndefined();
  });
});

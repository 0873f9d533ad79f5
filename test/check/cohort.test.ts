import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditCohort, type CheckReport } from '../../src/check/audit.js';
import { runCliAsync, tempDir } from '../support/cli.js';
import { condition, entry, labReport, medication, nextId, observation, patientOf, procedure, urn, writeCohort, type Bundle, type Resource } from './builders.js';

const generated = tempDir('chartwright-check-');

/** The first adult living patient of each sex in the generated cohort, read once (file by file). */
const samples = new Map<string, Bundle>();
function pick(gender: string): Bundle {
  if (samples.size === 0) {
    for (const name of readdirSync(join(generated, 'fhir')).sort()) {
      const b = JSON.parse(readFileSync(join(generated, 'fhir', name), 'utf8')) as Bundle;
      const p = patientOf(b);
      if (p['deceasedDateTime'] === undefined && String(p['birthDate']) < '1990-01-01' && !samples.has(String(p['gender']))) samples.set(String(p['gender']), b);
      if (samples.size === 2) break;
    }
  }
  const b = samples.get(gender);
  if (b === undefined) throw new Error(`no adult living ${gender} in the cohort`);
  return b;
}

beforeAll(async () => {
  const r = await runCliAsync(['generate', '--patients', '120', '--seed', '5', '--reference-date', '2025-06-01', '--out', generated, '--quiet', '--workers', '2']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
});

describe('check on a generated cohort', () => {
  it('passes every structure check and computes the fidelity rows (CLI, text and check.json)', async () => {
    const r = await runCliAsync(['check', generated]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/PASS {2}structure\.reference-resolves/);
    expect(r.stdout).toContain('Fidelity');
    const report = JSON.parse(readFileSync(join(generated, 'check.json'), 'utf8')) as CheckReport;
    expect(report.bundles).toBe(readdirSync(join(generated, 'fhir')).length);
    expect(report.patients.living).toBe(120);
    for (const c of report.checks.filter((x) => x.family === 'structure')) expect(c, c.id).toMatchObject({ status: 'pass', violations: 0 });
    // Fidelity rows are computed on living patients (no bands asserted on today's foundation cohort).
    const byId = new Map(report.fidelity.map((row) => [row.id, row]));
    const adults = byId.get('hypertension-adults')!.denominator;
    expect(adults).toBeGreaterThan(50);
    expect(adults).toBeLessThan(120);
    expect(byId.get('asthma-all')!.denominator).toBe(120);
    expect(byId.get('obesity-adults')!.denominator).toBeGreaterThan(0);
    expect(byId.get('obesity-adults')!.numerator).toBeGreaterThan(0);
    expect(byId.get('mmr-children')!.numerator).toBeGreaterThan(0);
    // 120 patients is below the 200-patient minimum: reported as insufficient data, not failed.
    for (const row of report.fidelity) expect(row.status).toBe('insufficient-data');
    expect(r.code).toBe(report.ok ? 0 : 1);
  });

  it('prints the same report as JSON with --json', async () => {
    const r = await runCliAsync(['check', generated, '--json']);
    const report = JSON.parse(r.stdout) as CheckReport;
    expect(report.checks.map((c) => c.id)).toContain('clinical.sex-appropriate');
    expect(report).toEqual(JSON.parse(readFileSync(join(generated, 'check.json'), 'utf8')));
  });

  it('gives one clear line for a missing folder, and exit 2 for a bad option', async () => {
    const missing = await runCliAsync(['check', join(generated, 'no-such-dir')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/^chartwright: .*no-such-dir: no such folder/);
    const bad = await runCliAsync(['check', generated, '--examples', 'many']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--examples');
    const noArg = await runCliAsync(['check']);
    expect(noArg.code).toBe(2);
  });
});

describe('check on deliberately broken bundles', () => {
  const broken = tempDir('chartwright-check-broken-');
  /** breakage name -> the rule that must catch it */
  const expected = new Map<string, string>();
  let report: CheckReport;

  /** A generated bundle plus valid clinical content: hypertension, its medication, an HbA1c lab and its report. */
  function clinical(gender: string): { bundle: Bundle; pid: string; cond: Resource; med: Resource; lab: Resource; report: Resource } {
    const bundle = structuredClone(pick(gender));
    const pid = patientOf(bundle).id;
    const cond = condition(pid, '59621000', { onset: '2021-03-01T09:00:00Z' });
    const med = medication(pid, cond.id, '2021-03-01T09:30:00Z');
    const lab = observation(pid, '4548-4', '2022-01-10T09:00:00Z', { quantity: 5.4, unit: '%' }, true);
    const report = labReport(pid, '2022-01-10T09:00:00Z', [lab.id]);
    add(bundle, cond, med, lab, report);
    return { bundle, pid, cond, med, lab, report };
  }

  /** Adds resources to a bundle as the generator would: entries, and targets of the bundle's Provenance. */
  function add(bundle: Bundle, ...resources: Resource[]): void {
    bundle.entry.push(...resources.map(entry));
    const provenance = find(bundle, 'Provenance');
    (provenance['target'] as unknown[]).push(...resources.map((r) => ({ reference: urn(r.id) })));
  }

  const find = (b: Bundle, type: string, pred: (r: Resource) => boolean = () => true): Resource => {
    const r = b.entry.map((e) => e.resource).find((x) => x.resourceType === type && pred(x));
    if (r === undefined) throw new Error(`no ${type}`);
    return r;
  };

  beforeAll(async () => {
    const cohort = new Map<string, Bundle | string>();
    const register = (name: string, rule: string | undefined, bundle: Bundle | string): void => {
      cohort.set(name, bundle);
      if (rule !== undefined) expected.set(name, rule);
    };
    register('valid-female', undefined, clinical('female').bundle);
    register('valid-male', undefined, clinical('male').bundle);

    let c = clinical('female');
    find(c.bundle, 'Observation', (o) => o['encounter'] !== undefined)['encounter'] = { reference: urn(nextId()) };
    register('dangling-reference', 'structure.reference-resolves', c.bundle);

    c = clinical('male');
    delete find(c.bundle, 'Immunization')['patient'];
    register('no-patient-reference', 'structure.patient-reference', c.bundle);

    c = clinical('female');
    c.med['authoredOn'] = '2020-11-15T09:00:00Z';
    register('medication-before-diagnosis', 'clinical.medication-after-diagnosis', c.bundle);

    c = clinical('male');
    c.med['reasonReference'] = [{ reference: urn(c.lab.id) }];
    register('medication-reason-not-condition', 'clinical.medication-reason', c.bundle);

    c = clinical('female');
    // Biopsied, staged and given chemotherapy, so only the sex is wrong (the cancer-pathway rule has nothing to say).
    const prostate = condition(c.pid, '399068003', { onset: '2023-02-01T10:00:00Z' });
    prostate['stage'] = [{ summary: { coding: [{ system: 'http://snomed.info/sct', code: '258215001' }] } }];
    add(c.bundle, prostate, procedure(c.pid, '86273004', '2023-02-10T10:00:00Z', prostate.id), procedure(c.pid, '367336001', '2023-03-20T10:00:00Z', prostate.id));
    register('prostate-cancer-female', 'clinical.sex-appropriate', c.bundle);

    c = clinical('female');
    add(c.bundle, observation(c.pid, '2857-1', '2023-02-01T10:00:00Z', { quantity: 1.1, unit: 'ng/mL' }, true));
    register('psa-female', 'clinical.sex-appropriate', c.bundle);

    c = clinical('male');
    add(c.bundle, condition(c.pid, '77386006', { onset: '2023-02-01T10:00:00Z' }));
    register('pregnancy-male', 'clinical.sex-appropriate', c.bundle);

    c = clinical('male');
    add(c.bundle, { ...condition(c.pid, '171149006'), resourceType: 'Procedure', performedDateTime: '2023-02-01T10:00:00Z' });
    register('cervical-screening-male', 'clinical.sex-appropriate', c.bundle);

    c = clinical('female');
    patientOf(c.bundle)['deceasedDateTime'] = '2021-06-01T00:00:00Z';
    add(c.bundle, observation(c.pid, '69453-9', '2021-06-01T00:00:00Z', { codes: ['84114007'] })); // a cause, so only the dates break
    register('resource-after-death', 'structure.dates-within-life', c.bundle);

    c = clinical('male');
    c.lab['effectiveDateTime'] = '1900-01-01T00:00:00Z';
    register('resource-before-birth', 'structure.dates-within-life', c.bundle);

    c = clinical('female');
    c.lab['effectiveDateTime'] = '2025-06-02T08:00:00Z';
    register('resource-after-reference-date', 'structure.dates-within-life', c.bundle);

    c = clinical('male');
    c.cond['clinicalStatus'] = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'resolved' }] };
    register('resolved-without-abatement', 'clinical.condition-status-abatement', c.bundle);

    c = clinical('female');
    c.cond['abatementDateTime'] = '2022-01-01T00:00:00Z';
    register('active-with-abatement', 'clinical.condition-status-abatement', c.bundle);

    c = clinical('male');
    c.cond['clinicalStatus'] = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'resolved' }] };
    c.cond['abatementDateTime'] = '2021-01-01T00:00:00Z';
    register('abatement-before-onset', 'clinical.abatement-after-onset', c.bundle);

    c = clinical('female');
    const enc = find(c.bundle, 'Encounter') as Resource & { period: { start: string; end: string } };
    enc.period = { start: enc.period.end, end: enc.period.start };
    register('encounter-ends-before-start', 'clinical.period-order', c.bundle);

    c = clinical('male');
    const q = c.lab['valueQuantity'] as Record<string, unknown>;
    delete q['unit'];
    delete q['code'];
    register('lab-without-unit', 'clinical.lab-units-ranges', c.bundle);

    c = clinical('female');
    delete c.lab['referenceRange'];
    register('lab-without-range', 'clinical.lab-units-ranges', c.bundle);

    c = clinical('male');
    c.report['result'] = [{ reference: urn(find(c.bundle, 'Encounter').id) }];
    register('lab-report-result-not-observation', 'clinical.lab-report-results', c.bundle);

    c = clinical('female');
    const untargeted = find(c.bundle, 'Provenance')['target'] as { reference: string }[];
    untargeted.splice(untargeted.findIndex((t) => t.reference === urn(c.lab.id)), 1);
    register('provenance-misses-a-resource', 'structure.provenance-targets', c.bundle);

    c = clinical('male');
    c.bundle.entry = c.bundle.entry.filter((e) => e.resource.resourceType !== 'Provenance');
    register('no-provenance', 'structure.provenance-targets', c.bundle);

    register('not-json', 'structure.bundle-readable', '{"resourceType": "Bundle", "entry": [');
    writeCohort(broken, cohort);
    report = await auditCohort(broken, { examplesPerRule: 1000 });
  });

  it('leaves the valid clinical bundles alone (no false positives)', () => {
    const flagged = report.checks.flatMap((c) => c.examples.filter((e) => e.file.startsWith('valid-')).map((e) => `${c.id}: ${e.file} ${e.message}`));
    expect(flagged).toEqual([]);
  });

  it('catches each breakage with its own rule, naming the file and the resource', () => {
    for (const [name, rule] of expected) {
      const check = report.checks.find((c) => c.id === rule);
      expect(check, rule).toBeDefined();
      expect(check!.status, `${name} -> ${rule}`).toBe('fail');
      const hits = check!.examples.filter((e) => e.file === `${name}.json`);
      expect(hits.length, `${rule} should flag ${name}`).toBeGreaterThan(0);
      if (rule !== 'structure.bundle-readable') expect(hits[0]!.resource).toMatch(/^[A-Za-z]+\/[0-9a-f-]+$/);
    }
  });

  it('fails each breakage only where it is broken (a rule flags no other breakage file than its own)', () => {
    const allowed = new Map<string, Set<string>>();
    for (const [name, rule] of expected) {
      if (!allowed.has(rule)) allowed.set(rule, new Set());
      allowed.get(rule)!.add(`${name}.json`);
    }
    // A resolved condition without abatement also cannot be active, and a broken reason has no diagnosis date: only the named rules fire.
    // A lab dated 1900 is before the patient's birth and before its test existed: both rules rightly fire.
    allowed.set('clinical.anachronism', new Set([...(allowed.get('clinical.anachronism') ?? []), 'resource-before-birth.json']));
    for (const c of report.checks) {
      const files = new Set(c.examples.map((e) => e.file));
      for (const f of files) expect(allowed.get(c.id)?.has(f), `${c.id} flagged ${f}`).toBe(true);
    }
  });

  it('exits 1 and shows the examples in the text report', async () => {
    const r = await runCliAsync(['check', broken]);
    expect(r.code).toBe(1);
    // The report is on stdout; stderr says in one line that it failed (CHECK_FAILED).
    expect(r.stderr).toMatch(/^chartwright: \d+ checks? failed(, \d+ fidelity rows? off band)? \(see the report\)\n$/);
    expect(r.stdout).toMatch(/FAIL {2}clinical\.sex-appropriate\s+4 violations/);
    expect(r.stdout).toContain('prostate-cancer-female.json Condition/');
    expect(r.stdout).toMatch(/pregnancy-male\.json Condition\/\S+: code 77386006 .*only for female/);
    expect(r.stdout).toContain('result: FAIL');
    expect(existsSync(join(broken, 'check.json'))).toBe(true);
  });
});

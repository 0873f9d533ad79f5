import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { bundleFiles, readBundle } from './support/cohort.js';
import { INTEROP_DIR, ROOT, US_CORE_FOLDER } from './support/paths.js';
import { issueClass, startHapiValidator, type HapiIssue, type HapiValidator } from './support/validator.js';

/**
 * HAPI FHIR's validator, as HAPI servers run it (FhirValidator + FhirInstanceValidator, R4 core,
 * US Core 6.1.0 through NpmPackageValidationSupport, in-memory terminology), judging what we write.
 */
const cohort = inject('interopCohort');
const scratch = inject('interopScratch');
let hapi: HapiValidator;

beforeAll(async () => {
  hapi = await startHapiValidator(scratch, 2);
});

afterAll(async () => {
  await hapi?.consumer.stop();
});

/** The README's interop section, where every warning class that remains must be explained. */
function readmeInteropSection(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('## Interop tier');
  return start === -1 ? '' : readme.slice(start, readme.indexOf('\n## ', start + 1) === -1 ? undefined : readme.indexOf('\n## ', start + 1));
}

describe('HAPI FHIR validator on the 100-patient cohort with notes', () => {
  it('finds 0 errors, and every warning class that remains is explained in the README', async () => {
    const files = bundleFiles(cohort);
    const classes = new Map<string, { severity: string; count: number; example: HapiIssue }>();
    const errors: string[] = [];
    let cpuMs = 0;
    let resources = 0;
    let next = 0;
    const started = Date.now();
    const worker = async (): Promise<void> => {
      while (next < files.length) {
        const file = files[next++]!;
        const text = readFileSync(file);
        resources += readBundle(file).entry.length;
        const result = await hapi.validate(text);
        cpuMs += result.cpuMs;
        for (const issue of result.issues) {
          if (issue.severity === 'error' || issue.severity === 'fatal') errors.push(`${file}: ${issue.location}: ${issue.message}`);
          const key = `${issue.severity} ${issueClass(issue)}`;
          const seen = classes.get(key);
          if (seen === undefined) classes.set(key, { severity: issue.severity, count: 1, example: issue });
          else seen.count += 1;
        }
      }
    };
    await Promise.all([worker(), worker()]);
    const report = {
      bundles: files.length,
      resources,
      wallSeconds: (Date.now() - started) / 1000,
      validatorCpuSeconds: cpuMs / 1000,
      classes: [...classes.entries()].sort((a, b) => b[1].count - a[1].count).map(([key, v]) => ({ key, count: v.count, example: v.example })),
    };
    mkdirSync(join(INTEROP_DIR, 'reports'), { recursive: true });
    writeFileSync(join(INTEROP_DIR, 'reports', 'hapi-validation.json'), `${JSON.stringify(report, null, 2)}\n`);
    process.stderr.write(
      `interop: HAPI validated ${files.length} bundles (${resources} resources) in ${report.wallSeconds.toFixed(0)} s, ${report.validatorCpuSeconds.toFixed(0)} CPU s\n` +
        report.classes.map((c) => `  ${String(c.count).padStart(7)}  ${c.key}`).join('\n') +
        '\n',
    );
    expect(errors.slice(0, 20)).toEqual([]);
    const section = readmeInteropSection();
    const undocumented = report.classes
      .filter((c) => c.example.severity === 'warning')
      .map((c) => c.key.replace(/^warning /, ''))
      .filter((key) => key.split(' ').some((part) => !section.includes(part)));
    expect(undocumented).toEqual([]);
  });
});

/**
 * Resources broken on purpose, each judged by HAPI and by our validator (src/fhir/validation).
 * HAPI is the reference here; each case first proves HAPI reports the defect, then that ours does.
 * The cases are those where the two disagreed when the tier was built, and ours was fixed, plus
 * controls where both agreed.
 */
describe('HAPI FHIR validator and ours on broken resources', () => {
  type Resource = Record<string, any>;
  let ours: { validate(resource: unknown): { severity: string; path: string; message: string }[] };
  let resources: Resource[];

  beforeAll(async () => {
    const validation = (await import(pathToFileURL(join(ROOT, 'dist', 'fhir', 'validation', 'index.js')).href)) as typeof import('../../src/fhir/validation/index.js');
    ours = validation.createValidator(await validation.loadProfiles({ igPaths: [US_CORE_FOLDER] }));
    resources = readBundle(bundleFiles(cohort)[0]!).entry.map((e) => e.resource as Resource);
  });

  const pick = (type: string, where: (r: Resource) => boolean = () => true): Resource => {
    const found = resources.find((r) => r.resourceType === type && where(r));
    if (found === undefined) throw new Error(`the cohort's first bundle has no such ${type}`);
    return structuredClone(found);
  };
  const claims = (profile: string) => (r: Resource): boolean => (r.meta?.profile ?? []).some((p: string) => p.endsWith(`/${profile}`));

  const cases: [string, () => Resource][] = [
    ['an Encounter whose period ends before it starts (per-1)', () => {
      const r = pick('Encounter', (e) => e.period?.start !== undefined);
      r.period.end = '1900-01-01T00:00:00Z';
      return r;
    }],
    ['a heart rate in kg (US Core fixes the UCUM code to /min)', () => {
      const r = pick('Observation', claims('us-core-heart-rate'));
      r.valueQuantity.code = 'kg';
      return r;
    }],
    ['an Immunization given on 30 February', () => {
      const r = pick('Immunization');
      r.occurrenceDateTime = '2020-02-30';
      return r;
    }],
    ['a Patient without gender', () => {
      const r = pick('Patient');
      delete r.gender;
      return r;
    }],
    ['a Condition without category', () => {
      const r = pick('Condition');
      delete r.category;
      return r;
    }],
    ['an Observation with an unknown status', () => {
      const r = pick('Observation');
      r.status = 'bogus';
      return r;
    }],
    ['a DocumentReference whose note is not base64', () => {
      const r = pick('DocumentReference');
      r.content[0].attachment.data = '%%% not base64 %%%';
      return r;
    }],
  ];

  it.each(cases)('both report an error: %s', async (_name, make) => {
    const resource = make();
    const hapiErrors = (await hapi.validate(JSON.stringify(resource))).issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');
    expect(hapiErrors.length).toBeGreaterThan(0);
    const ourErrors = ours.validate(resource).filter((i) => i.severity === 'error');
    expect(ourErrors.map((i) => `${i.path}: ${i.message}`)).not.toEqual([]);
  });

  it('both accept the unbroken resources the cases start from', async () => {
    for (const type of ['Encounter', 'Observation', 'Immunization', 'Patient', 'Condition', 'DocumentReference']) {
      const resource = pick(type);
      const hapiErrors = (await hapi.validate(JSON.stringify(resource))).issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');
      expect(hapiErrors).toEqual([]);
      expect(ours.validate(resource).filter((i) => i.severity === 'error')).toEqual([]);
    }
  });
});

import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar';
import { afterAll, describe, expect, it } from 'vitest';
import { createValidator, loadProfiles } from '../../../src/fhir/validation/index.js';
import { HAS_US_CORE, NO_US_CORE, P, US_CORE, validPatient } from './us-core.js';

const work = mkdtempSync(join(tmpdir(), 'cw-profiles-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe(`IG loading${NO_US_CORE}`, () => {
  it.skipIf(!HAS_US_CORE)('loads the same IG from a folder and from an npm .tgz', async () => {
    // npm tarballs hold the package under `package/`.
    cpSync(US_CORE, join(work, 'package'), { recursive: true, filter: (p) => !p.includes('/example') && !p.includes('/xml') });
    const renamed = join(work, 'us-core.tgz');
    await tar.c({ gzip: true, file: renamed, cwd: work, portable: true }, ['package']);
    const fromFolder = await loadProfiles({ igPaths: [US_CORE] });
    const fromTgz = await loadProfiles({ igPaths: [renamed] });
    expect(fromTgz.igs[0]).toMatchObject({ name: 'hl7.fhir.us.core', version: '6.1.0', profiles: fromFolder.igs[0]?.profiles });
    expect(fromFolder.igs[0]?.profiles).toBeGreaterThan(50);
    expect([...fromTgz.profiles.keys()].sort()).toEqual([...fromFolder.profiles.keys()].sort());
    expect(fromFolder.profiles.has(P('us-core-patient'))).toBe(true);
    // US Core's Provenance profile loads once its sliced `entity.agent` content reference is written out.
    expect(fromFolder.loadFailures).toEqual([]);
    expect(fromFolder.profiles.has(P('us-core-provenance'))).toBe(true);
    const validator = createValidator(fromTgz);
    expect(validator.validate(validPatient())).toEqual([]);
  });

  it('reports a path that is not a FHIR package as bad input', async () => {
    const notPackage = mkdtempSync(join(work, 'np-'));
    writeFileSync(join(notPackage, 'x.json'), '{}');
    await expect(loadProfiles({ igPaths: [notPackage] })).rejects.toThrow(/not a FHIR package/);
    await expect(loadProfiles({ igPaths: [join(work, 'missing.tgz')] })).rejects.toThrow(/IG package not found/);
  });
});


import type { Coding, Meta } from '@medplum/fhirtypes';

/** Tags that mark every resource we write as test data of one run, so a sandbox can find and delete it. */

export const HTEST_TAG: Coding = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason',
  code: 'HTEST',
  display: 'test health data',
};

/** Code system of the run tag (a 16-hex-digit code derived from the seed and the cohort options). */
export const RUN_TAG_SYSTEM = 'https://chartwright.dev/fhir/CodeSystem/run-tag';



/** Builds `meta` objects for a run; the tag list is shared, since it is the same on every resource. */
export class MetaFactory {
  private readonly tags: Coding[];
  private readonly byProfile = new Map<string, Meta>();
  readonly bare: Meta;

  constructor(runTag: string) {
    this.tags = [HTEST_TAG, { system: RUN_TAG_SYSTEM, code: runTag }];
    this.bare = { tag: this.tags };
  }

  forProfile(profile: string): Meta {
    let meta = this.byProfile.get(profile);
    if (meta === undefined) {
      meta = { profile: [profile], tag: this.tags };
      this.byProfile.set(profile, meta);
    }
    return meta;
  }
}

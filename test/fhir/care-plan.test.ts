import { beforeAll, describe, expect, it } from 'vitest';
import { carePlanResource } from '../../src/fhir/care-plan.js';
import { goalResource } from '../../src/fhir/goal.js';
import { MetaFactory } from '../../src/fhir/meta.js';
import { createValidator, loadProfiles, type ValidationIssue, type Validator } from '../../src/fhir/validation/index.js';
import type { CarePlanEntry, GoalEntry } from '../../src/record/types.js';
import { HAS_US_CORE, NO_US_CORE, US_CORE } from './validation/us-core.js';

const errors = (issues: ValidationIssue[]): ValidationIssue[] => issues.filter((i) => i.severity === 'error');
const meta = new MetaFactory('0123456789abcdef');
const t0 = Date.parse('2020-03-04T15:10:00Z');

const goal: GoalEntry = {
  id: '00000000-0000-4000-8000-000000000002',
  conditionId: '00000000-0000-4000-8000-000000000001',
  description: 'Hemoglobin A1c below 7 % <& safe>',
  targets: [{ measure: { system: 'http://loinc.org', code: '4548-4', display: 'Hemoglobin A1c/Hemoglobin.total in Blood' }, high: 7, unit: '%' }],
  start: t0,
  due: t0 + 365 * 86_400_000,
  encounterId: '00000000-0000-4000-8000-000000000003',
  practitionerId: '00000000-0000-4000-8000-000000000004',
  lifecycleStatus: 'active',
};
const plan: CarePlanEntry = {
  id: '00000000-0000-4000-8000-000000000005',
  conditionId: goal.conditionId,
  title: 'Diabetes self-management plan',
  activities: ['Diabetic diet', 'Home blood glucose monitoring <daily>'],
  goalIds: [goal.id],
  encounterId: goal.encounterId,
  practitionerId: goal.practitionerId,
  start: t0,
  end: t0 + 2 * 365 * 86_400_000,
  status: 'completed',
};

describe('CarePlan and Goal', () => {
  it('write the narrative as escaped XHTML and point at the condition and goal', () => {
    const r = carePlanResource(plan, 'p', meta);
    expect(r.text?.div).toContain('xmlns="http://www.w3.org/1999/xhtml"');
    expect(r.text?.div).toContain('&lt;daily&gt;');
    expect(r.category?.[0]?.coding?.[0]?.code).toBe('assess-plan');
    expect(r.addresses?.[0]?.reference).toBe(`urn:uuid:${plan.conditionId}`);
    expect(r.goal?.[0]?.reference).toBe(`urn:uuid:${goal.id}`);
    expect(r.period?.end).toBeDefined();
    expect(r.activity?.every((a) => a.detail?.status === 'completed')).toBe(true);
    const g = goalResource({ ...goal, targets: [] }, 'p', meta);
    expect(g.target).toEqual([{ dueDate: '2021-03-04' }]);
  });
});

describe(`CarePlan and Goal against US Core 6.1.0${NO_US_CORE}`, () => {
  let validator: Validator;
  beforeAll(async () => {
    if (HAS_US_CORE) validator = createValidator(await loadProfiles({ igPaths: [US_CORE] }));
  });

  it.skipIf(!HAS_US_CORE)('validates a CarePlan (active and completed)', () => {
    expect(errors(validator.validate(carePlanResource(plan, 'p', meta) as unknown as Record<string, unknown>))).toEqual([]);
    const active = carePlanResource({ ...plan, status: 'active', end: undefined }, 'p', meta);
    expect(errors(validator.validate(active as unknown as Record<string, unknown>))).toEqual([]);
  });

  it.skipIf(!HAS_US_CORE)('validates a Goal with and without a measurable target', () => {
    expect(errors(validator.validate(goalResource(goal, 'p', meta) as unknown as Record<string, unknown>))).toEqual([]);
    expect(errors(validator.validate(goalResource({ ...goal, targets: [] }, 'p', meta) as unknown as Record<string, unknown>))).toEqual([]);
  });

  it.skipIf(!HAS_US_CORE)('catches a CarePlan without its assess-plan category', () => {
    const r = carePlanResource(plan, 'p', meta) as unknown as Record<string, unknown>;
    delete r['category'];
    expect(errors(validator.validate(r)).length).toBeGreaterThan(0);
  });
});

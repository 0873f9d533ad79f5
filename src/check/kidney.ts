import type { FhirResource } from './bundle-source.js';
import { EGFR_EQUATIONS, stageForEgfr } from '../knowledge/kidney.js';
import { egfrCodes } from '../knowledge/labs.js';
import { codeIn, label, referenceOf, type BundleView } from './bundle-view.js';
import { ageInYears } from './patient-facts.js';
import type { CheckRule } from './rule.js';

const LOINC = 'http://loinc.org';
const SNOMED = 'http://snomed.info/sct';
const CREATININE = '2160-0';
const CLINICAL_STATUS = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
/** SNOMED CT CKD stage codes and the stage each names. */
const STAGE_OF_CODE: ReadonlyMap<string, number> = new Map([
  ['431855005', 1],
  ['431856006', 2],
  ['433144002', 3],
  ['431857002', 4],
  ['433146000', 5],
]);
/** How far a reported eGFR may sit from its equation's value of the reported creatinine (rounding, age in whole years). */
const EGFR_TOLERANCE = 2;

type Resource = FhirResource;

function quantityOf(r: Resource): number | undefined {
  const v = (r['valueQuantity'] as { value?: unknown } | undefined)?.value;
  return typeof v === 'number' ? v : undefined;
}

function effective(r: Resource): string | undefined {
  const t = r['effectiveDateTime'];
  return typeof t === 'string' ? t : undefined;
}

function egfrObservations(view: BundleView): { time: string; value: number; r: Resource }[] {
  const out: { time: string; value: number; r: Resource }[] = [];
  for (const r of view.resources) {
    if (r.resourceType !== 'Observation' || !egfrCodes().has(codeIn(r['code'], LOINC) ?? '')) continue;
    const time = effective(r);
    const value = quantityOf(r);
    if (time !== undefined && value !== undefined) out.push({ time, value, r });
  }
  return out.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
}

/** An active staged CKD diagnosis agrees with the latest eGFR in the chart (KDIGO G1-G5). */
export const ckdStageEgfr: CheckRule = {
  id: 'clinical.ckd-stage-egfr',
  family: 'clinical',
  title: 'an active CKD stage Condition matches the stage of the latest eGFR, when the chart has one (>=90, 60-89, 30-59, 15-29, <15)',
  check(view, emit) {
    const latest = egfrObservations(view).at(-1);
    for (const r of view.resources) {
      if (r.resourceType !== 'Condition') continue;
      const stage = STAGE_OF_CODE.get(codeIn(r['code'], SNOMED) ?? '');
      if (stage === undefined || codeIn(r['clinicalStatus'], CLINICAL_STATUS) !== 'active') continue;
      if (latest === undefined) continue; // nothing measured to contradict it
      const measured = stageForEgfr(latest.value);
      if (measured !== stage) emit(r, `${label(r)} says stage ${stage} but the latest eGFR (${latest.value} on ${latest.time.slice(0, 10)}) is stage ${measured}`);
    }
  },
};

/** A reported eGFR is the CKD-EPI 2021 value of the creatinine reported with it. */
export const egfrMatchesCreatinine: CheckRule = {
  id: 'clinical.egfr-creatinine',
  family: 'clinical',
  title: 'eGFR in a lab report equals its code\'s equation (MDRD, CKD-EPI 2009, CKD-EPI 2021) of the creatinine in the same report, within 2 mL/min/1.73m2',
  check(view, emit) {
    const gender = view.patient?.['gender'];
    if ((gender !== 'male' && gender !== 'female') || view.birthDate === undefined) return;
    for (const report of view.resources) {
      if (report.resourceType !== 'DiagnosticReport' || !Array.isArray(report['result'])) continue;
      let egfr: Resource | undefined;
      let creatinine: Resource | undefined;
      for (const item of report['result'] as unknown[]) {
        const ref = referenceOf(item);
        const o = ref === undefined ? undefined : view.resolve(ref);
        if (o === undefined || o.resourceType !== 'Observation') continue;
        const code = codeIn(o['code'], LOINC);
        if (egfrCodes().has(code ?? '')) egfr = o;
        else if (code === CREATININE) creatinine = o;
      }
      if (egfr === undefined || creatinine === undefined) continue;
      const e = quantityOf(egfr);
      const c = quantityOf(creatinine);
      const time = effective(egfr);
      if (e === undefined || c === undefined || c <= 0 || time === undefined) continue;
      const equation = egfrCodes().get(codeIn(egfr['code'], LOINC) ?? '')!;
      const expected = EGFR_EQUATIONS[equation].estimate(c, ageInYears(view.birthDate, time.slice(0, 10)), gender);
      if (Math.abs(expected - e) > EGFR_TOLERANCE) {
        emit(egfr, `eGFR ${e} does not follow from creatinine ${c} mg/dL (${equation} gives ${expected.toFixed(1)})`);
      }
    }
  },
};

/** What the dialysis-coding rule needs: the dependence finding and the stage codes (1-4) it replaces. */
export interface DialysisCodingCodes {
  /** SNOMED CT code of dialysis dependence. */
  readonly dependence: string;
  /** SNOMED CT code the CKD entry carries once on dialysis (ESRD). */
  readonly endStage: string;
}

/** A dialysis-dependent patient's CKD entry is end-stage (never back to a stage a later eGFR suggests). */
export function dialysisEndStage(codes: DialysisCodingCodes): CheckRule {
  return {
    id: 'clinical.dialysis-end-stage',
    family: 'clinical',
    title: 'while dialysis dependence is active, the active CKD Condition is coded end-stage renal disease, not a CKD stage',
    check(view, emit) {
      const onDialysis = view.resources.some(
        (r) => r.resourceType === 'Condition' && codeIn(r['code'], SNOMED) === codes.dependence && codeIn(r['clinicalStatus'], CLINICAL_STATUS) === 'active',
      );
      if (!onDialysis) return;
      for (const r of view.resources) {
        if (r.resourceType !== 'Condition' || codeIn(r['clinicalStatus'], CLINICAL_STATUS) !== 'active') continue;
        const stage = STAGE_OF_CODE.get(codeIn(r['code'], SNOMED) ?? '');
        if (stage !== undefined) emit(r, `${label(r)} (stage ${stage}) for a dialysis-dependent patient: the CKD entry is end-stage renal disease (${codes.endStage})`);
      }
    },
  };
}

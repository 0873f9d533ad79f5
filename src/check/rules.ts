import { loadPregnancy } from '../knowledge/pregnancy.js';
import { loadSexSpecificRules } from '../knowledge/sex-specific.js';
import { anachronism } from './anachronism.js';
import { abatementAfterOnset, conditionStatusAbatement } from './conditions.js';
import { periodOrder } from './encounters.js';
import { carePlanCondition } from './care-plans.js';
import { ckdStageEgfr, dialysisEndStage, egfrMatchesCreatinine } from './kidney.js';
import { labInterpretation } from './lab-interpretation.js';
import { episodeResolution } from './episodes.js';
import { causeOfDeath, inpatientDischarge, noVisitDuringStay } from './hospital.js';
import { labReportResults, labUnitsAndRanges } from './labs.js';
import { medicationAfterDiagnosis, medicationReason } from './medications.js';
import { allergyOrderConflict, dosageComplete, labContraindication } from './orders.js';
import { loadContraindications } from '../knowledge/contraindications.js';
import { loadDrugAllergies } from '../knowledge/drug-allergies.js';
import { egfrCodes, loadLabs } from '../knowledge/labs.js';
import { pregnancyCoherence } from './pregnancy.js';
import { pregnancyContraindicatedDrug } from './pregnancy-medications.js';
import { loadPregnancyMedications } from '../knowledge/pregnancy-medications.js';
import { deliveryOutcome } from './delivery.js';
import { loadNewborn } from '../knowledge/newborn.js';
import { cancerPathway, kidneyFailurePathway } from './pathways.js';
import { loadPathways } from '../knowledge/pathways.js';
import { loadSpecialists } from '../knowledge/specialists.js';
import { loadConditionModules } from '../knowledge/conditions.js';
import { noteText } from './notes.js';
import { noteVisitKind } from './note-visit.js';
import { onsetAgeFloor } from './onset-age.js';
import { practitionerActive } from './practitioner-active.js';
import { clinicHours, oneBookedVisitPerDay } from './clinic-hours.js';
import { carePlaces } from './places.js';
import { careChannels } from './care-channels.js';
import type { CheckRule } from './rule.js';
import { sexAppropriate } from './sex-specific.js';
import { STRUCTURE_RULES } from './structure.js';
import { triageVitals, vitalPlausibility } from './vitals.js';
import { loadPhysiology } from '../knowledge/lifecycle.js';

/** Every coherence rule `chartwright check` runs, in report order. */
export function allRules(): CheckRule[] {
  return [
    ...STRUCTURE_RULES,
    medicationReason,
    medicationAfterDiagnosis,
    dosageComplete,
    allergyOrderConflict(loadDrugAllergies()),
    labContraindication(loadContraindications(), labCodes),
    sexAppropriate(loadSexSpecificRules()),
    conditionStatusAbatement,
    abatementAfterOnset,
    episodeResolution,
    periodOrder,
    labUnitsAndRanges,
    labReportResults,
    labInterpretation,
    ckdStageEgfr,
    egfrMatchesCreatinine,
    kidneyFailurePathway(kidneyCodes()),
    dialysisEndStage({ dependence: loadPathways().kidney.dependence.code, endStage: loadPathways().kidney.endStage.code }),
    cancerPathway(cancerCodes()),
    pregnancyCoherence(loadPregnancy()),
    deliveryOutcome(loadPregnancy(), loadNewborn()),
    pregnancyContraindicatedDrug(loadPregnancyMedications(), loadPregnancy().codes.pregnancy, latestFirstVisitDays()),
    inpatientDischarge,
    noVisitDuringStay,
    causeOfDeath,
    noteText,
    noteVisitKind,
    carePlanCondition,
    vitalPlausibility,
    triageVitals(loadPhysiology().bloodPressure.fromAge),
    onsetAgeFloor,
    anachronism,
    practitionerActive,
    clinicHours,
    oneBookedVisitPerDay,
    carePlaces,
    careChannels,
  ];
}

/** Days from conception (the pregnancy's onset, gestational week 2) to the latest first prenatal visit. */
function latestFirstVisitDays(): number {
  return (loadPregnancy().firstVisitWeek.max - 2) * 7;
}

/** The LOINC codes a lab key's results carry: every equation's code for eGFR, the one code of any other lab. */
function labCodes(lab: string): ReadonlySet<string> {
  if (lab === 'egfr') return new Set(egfrCodes().keys());
  const code = (loadLabs().labs as Record<string, { code: { code: string } } | undefined>)[lab]?.code.code;
  return new Set(code === undefined ? [] : [code]);
}

/** The kidney-failure rule's codes, from the pathway data; grace covers referral, decision and the next visit. */
function kidneyCodes(): Parameters<typeof kidneyFailurePathway>[0] {
  const k = loadPathways().kidney;
  const nephrology = loadSpecialists().specialists[k.referral.specialty]!.code;
  const graceDays = k.referral.afterDays[1] + k.kidneyFailure.decisionAfterDays[1] + k.followUpMonths * 31;
  return { belowEgfr: k.kidneyFailure.belowEgfr, nephrology, procedures: new Set(k.kidneyFailure.options.map((o) => o.procedure.code)), graceDays };
}

/** The cancer rule's biopsy code per cancer condition code. */
function cancerCodes(): Parameters<typeof cancerPathway>[0] {
  const types = loadPathways().cancers.types;
  const biopsyByCancer = new Map<string, string>();
  for (const m of loadConditionModules()) {
    const t = types[m.key];
    if (t !== undefined) biopsyByCancer.set(m.code.code, t.biopsy.procedure.code);
  }
  return { biopsyByCancer, graceDays: 180 };
}

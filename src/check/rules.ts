import { loadPregnancy } from '../knowledge/pregnancy.js';
import { loadSexSpecificRules } from '../knowledge/sex-specific.js';
import { anachronism } from './anachronism.js';
import { abatementAfterOnset, conditionStatusAbatement } from './conditions.js';
import { periodOrder } from './encounters.js';
import { carePlanCondition } from './care-plans.js';
import { ckdStageEgfr, egfrMatchesCreatinine } from './kidney.js';
import { labInterpretation } from './lab-interpretation.js';
import { episodeResolution } from './episodes.js';
import { causeOfDeath, inpatientDischarge } from './hospital.js';
import { labReportResults, labUnitsAndRanges } from './labs.js';
import { medicationAfterDiagnosis, medicationReason } from './medications.js';
import { allergyOrderConflict, dosageComplete, labContraindication } from './orders.js';
import { loadContraindications } from '../knowledge/contraindications.js';
import { loadDrugAllergies } from '../knowledge/drug-allergies.js';
import { loadLabs } from '../knowledge/labs.js';
import { pregnancyCoherence } from './pregnancy.js';
import { noteText } from './notes.js';
import { onsetAgeFloor } from './onset-age.js';
import type { CheckRule } from './rule.js';
import { sexAppropriate } from './sex-specific.js';
import { STRUCTURE_RULES } from './structure.js';
import { vitalPlausibility } from './vitals.js';

/** Every coherence rule `chartwright check` runs, in report order. */
export function allRules(): CheckRule[] {
  return [
    ...STRUCTURE_RULES,
    medicationReason,
    medicationAfterDiagnosis,
    dosageComplete,
    allergyOrderConflict(loadDrugAllergies()),
    labContraindication(loadContraindications(), (lab) => (loadLabs().labs as Record<string, { code: { code: string } } | undefined>)[lab]?.code.code),
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
    pregnancyCoherence(loadPregnancy()),
    inpatientDischarge,
    causeOfDeath,
    noteText,
    carePlanCondition,
    vitalPlausibility,
    onsetAgeFloor,
    anachronism,
  ];
}

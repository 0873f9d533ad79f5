import { loadPregnancy } from '../knowledge/pregnancy.js';
import { loadSexSpecificRules } from '../knowledge/sex-specific.js';
import { abatementAfterOnset, conditionStatusAbatement } from './conditions.js';
import { periodOrder } from './encounters.js';
import { carePlanCondition } from './care-plans.js';
import { ckdStageEgfr, egfrMatchesCreatinine } from './kidney.js';
import { labInterpretation } from './lab-interpretation.js';
import { episodeResolution } from './episodes.js';
import { causeOfDeath, inpatientDischarge } from './hospital.js';
import { labReportResults, labUnitsAndRanges } from './labs.js';
import { medicationAfterDiagnosis, medicationReason } from './medications.js';
import { pregnancyCoherence } from './pregnancy.js';
import { noteText } from './notes.js';
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
  ];
}

/**
 * Medicines in pregnancy as an obstetrician would check them: no drug whose label warns of fetal
 * harm (ACE inhibitors, sacubitril-valsartan, statins, warfarin, SGLT2 inhibitors) is running while
 * a recorded pregnancy is known, from the visit that recorded it to its end.
 */
import type { PregnancyMedications } from '../knowledge/pregnancy-medications.js';
import { codeIn, codingsOf, instantOf, label } from './bundle-view.js';
import { orderEnd } from './orders.js';
import type { CheckRule } from './rule.js';

const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const MS_PER_DAY = 86_400_000;

/** The pregnancy Condition's codes the rule reads (the pregnancy knowledge's `codes.pregnancy`). */
export interface PregnancyCode {
  readonly system: string;
  readonly code: string;
}

const timeOf = (v: unknown): number | undefined => (typeof v === 'string' ? instantOf(v) : undefined);

/**
 * Builds the rule from the data's contraindicated drugs. A pregnancy counts from when the chart
 * knows of it (its recorded date; for a past pregnancy carried onto the chart after it ended, its
 * onset plus `firstVisitWithinDays`, the latest first prenatal visit) to its abatement (still
 * running when there is none); an order stopped within a day of that visit is the stop itself.
 */
export function pregnancyContraindicatedDrug(k: PregnancyMedications, pregnancy: PregnancyCode, firstVisitWithinDays: number): CheckRule {
  const byDrug = new Map(k.drugs.filter((d) => d.kind === 'contraindicated').map((d) => [d.drug, d]));
  const classes = [...new Set([...byDrug.values()].map((d) => d.class))];
  return {
    id: 'clinical.pregnancy-contraindicated-drug',
    family: 'clinical',
    title: `no drug contraindicated in pregnancy (${classes.join(', ')}) active while a recorded pregnancy is known`,
    check(view, emit) {
      const spans = view.resources.flatMap((r) => {
        if (r.resourceType !== 'Condition' || !codingsOf(r['code']).some((c) => c.system === pregnancy.system && c.code === pregnancy.code)) return [];
        const onset = timeOf(r['onsetDateTime']);
        const recorded = timeOf(r['recordedDate']) ?? onset;
        const end = timeOf(r['abatementDateTime']) ?? Infinity;
        if (onset === undefined || recorded === undefined) return [];
        // A past pregnancy carried onto a later chart is recorded after it ended: it was known from its first visit, at the latest this long after conception.
        const known = recorded <= end ? recorded : onset + firstVisitWithinDays * MS_PER_DAY;
        return [{ resource: r, known, end }];
      });
      if (spans.length === 0) return;
      for (const r of view.resources) {
        if (r.resourceType !== 'MedicationRequest') continue;
        const drug = byDrug.get(codeIn(r['medicationCodeableConcept'], RXNORM) ?? '');
        const authored = timeOf(r['authoredOn']);
        if (drug === undefined || authored === undefined) continue;
        const end = orderEnd(r);
        for (const s of spans) {
          if (authored < s.end && end > s.known + MS_PER_DAY) {
            emit(r, `${drug.name} (${drug.class}) active during ${label(s.resource)}, known from ${new Date(s.known).toISOString().slice(0, 10)}`);
          }
        }
      }
    },
  };
}

/**
 * A delivery's charted outcome: every delivery Procedure on an admission has the gestational age,
 * newborn sex, birth weight and 1- and 5-minute Apgar Observations on that admission, with values a
 * delivery can have (gestational age 20-44 weeks and within a week of the pregnancy's own dates,
 * a weight plausible for the week and sex, whole Apgar scores 0-10).
 */
import type { NewbornKnowledge } from '../knowledge/newborn.js';
import { plausibleBirthWeight } from '../knowledge/newborn.js';
import type { PregnancyKnowledge } from '../knowledge/pregnancy.js';
import type { FhirResource } from './bundle-source.js';
import { codingsOf, hasCode, instantOf, referenceOf } from './bundle-view.js';
import type { CheckRule } from './rule.js';

const MS_PER_WEEK = 7 * 86_400_000;
const GESTATION_WEEKS = { min: 20, max: 44 } as const;
/** The pregnancy Condition's onset is conception, two weeks after the last period that gestational age counts from. */
const ONSET_WEEK = 2;

function timeOf(value: unknown): number | undefined {
  return typeof value === 'string' ? instantOf(value) : undefined;
}

function quantityOf(r: FhirResource): number | undefined {
  const q = r['valueQuantity'] as { value?: unknown } | undefined;
  return typeof q?.value === 'number' ? q.value : undefined;
}

export function deliveryOutcome(pregnancy: PregnancyKnowledge, newborn: NewbornKnowledge): CheckRule {
  const deliveryCodes = new Set([pregnancy.codes.vaginalDelivery.code, pregnancy.codes.cesarean.code]);
  const pregnancyCodes = new Set([pregnancy.codes.pregnancy.code]);
  const c = newborn.codes;
  const wanted = [
    { code: c.gestationalAge.code, name: 'gestational age at birth' },
    { code: c.sex.code, name: 'newborn sex' },
    { code: c.birthWeight.code, name: 'birth weight' },
    { code: c.apgar1.code, name: '1-minute Apgar score' },
    { code: c.apgar5.code, name: '5-minute Apgar score' },
  ];
  return {
    id: 'clinical.delivery-outcome',
    family: 'clinical',
    title: `a delivery has gestational age (${GESTATION_WEEKS.min}-${GESTATION_WEEKS.max} weeks, agreeing with the pregnancy), newborn sex, a birth weight plausible for both, and Apgar scores 0-10`,
    check(view, emit) {
      const byEncounter = new Map<string, Map<string, FhirResource>>();
      for (const r of view.resources) {
        if (r.resourceType !== 'Observation') continue;
        const enc = referenceOf(r['encounter']);
        if (enc === undefined) continue;
        for (const coding of codingsOf(r['code'])) {
          if (coding.system !== 'http://loinc.org' || coding.code === undefined || !wanted.some((w) => w.code === coding.code)) continue;
          let map = byEncounter.get(enc);
          if (map === undefined) byEncounter.set(enc, (map = new Map()));
          map.set(coding.code, r);
        }
      }
      const pregnancies = view.resources
        .filter((r) => r.resourceType === 'Condition' && hasCode(r['code'], pregnancyCodes, pregnancy.codes.pregnancy.system))
        .map((r) => ({ onset: timeOf(r['onsetDateTime']), end: timeOf(r['abatementDateTime']) }));
      for (const r of view.resources) {
        if (r.resourceType !== 'Procedure' || !hasCode(r['code'], deliveryCodes, pregnancy.codes.vaginalDelivery.system)) continue;
        // A delivery carried from before the record window has no admission of this chart and no outcome here.
        const enc = referenceOf(r['encounter']);
        if (enc === undefined) continue;
        const found = byEncounter.get(enc) ?? new Map<string, FhirResource>();
        const missing = wanted.filter((w) => !found.has(w.code)).map((w) => w.name);
        if (missing.length > 0) {
          emit(r, `delivery without ${missing.join(', ')} on its admission`);
          continue;
        }
        const weeks = quantityOf(found.get(c.gestationalAge.code)!);
        if (weeks === undefined || weeks < GESTATION_WEEKS.min || weeks > GESTATION_WEEKS.max) {
          emit(found.get(c.gestationalAge.code)!, `gestational age at birth ${weeks ?? 'missing'} wk, outside ${GESTATION_WEEKS.min}-${GESTATION_WEEKS.max}`);
          continue;
        }
        const at = timeOf(r['performedDateTime']) ?? timeOf((r['performedPeriod'] as { start?: unknown } | undefined)?.start);
        const own = at === undefined ? undefined : pregnancies.find((p) => p.onset !== undefined && p.onset <= at && (p.end === undefined || p.end >= at));
        if (at !== undefined && own?.onset !== undefined) {
          const byDates = (at - own.onset) / MS_PER_WEEK + ONSET_WEEK;
          if (Math.abs(byDates - weeks) > 1) emit(found.get(c.gestationalAge.code)!, `gestational age ${weeks} wk, but the pregnancy's dates give ${byDates.toFixed(1)} wk`);
        }
        const sexCodes = codingsOf(found.get(c.sex.code)!['valueCodeableConcept']).map((x) => x.code);
        const sexes = (['male', 'female'] as const).filter((s) => sexCodes.includes(c[s].code));
        if (sexes.length !== 1) emit(found.get(c.sex.code)!, 'newborn sex is neither male nor female');
        const grams = quantityOf(found.get(c.birthWeight.code)!);
        const bounds = (sexes.length === 1 ? sexes : (['male', 'female'] as const)).map((s) => plausibleBirthWeight(newborn, s, weeks));
        const min = Math.min(...bounds.map((b) => b.min));
        const max = Math.max(...bounds.map((b) => b.max));
        if (grams === undefined || grams < min || grams > max) emit(found.get(c.birthWeight.code)!, `birth weight ${grams ?? 'missing'} g, implausible at ${weeks} weeks (${min}-${max} g)`);
        for (const code of [c.apgar1.code, c.apgar5.code]) {
          const score = found.get(code)!['valueInteger'];
          if (typeof score !== 'number' || !Number.isInteger(score) || score < 0 || score > 10) emit(found.get(code)!, `Apgar score ${String(score)}, not a whole number 0-10`);
        }
      }
    },
  };
}

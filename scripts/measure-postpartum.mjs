// Measures the care that follows a delivery and the ward chart of each kind of inpatient stay (issue 12):
//   node scripts/measure-postpartum.mjs OUT_DIR
// Prints one JSON object: deliveries, how many have a postpartum visit (SNOMED 169762003) within 12 weeks
// of discharge, a contact within 3 weeks, a blood-pressure reading within 10 days after a hypertensive
// pregnancy (pre-eclampsia resolved at the birth, or hypertension on the chart), and depression screening
// (171207006) at a postpartum visit; and inpatient stays by kind (delivery, acute illness, planned
// operation, other) with how many carry nursing vital signs and ward labs of their own.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const out = process.argv[2];
const DAY = 86_400_000;
const DELIVERY = '305408004';
const ACUTE = '183452005';
const POSTNATAL = '169762003';
const SCREEN = '171207006';
const PREECLAMPSIA = '398254007';
const HYPERTENSION = '59621000';
const BP = '85354-9';
const ref = (r) => (typeof r?.reference === 'string' ? r.reference.replace(/^.*\//, '').replace(/^urn:uuid:/, '') : undefined);
const code = (r) => r?.type?.[0]?.coding?.[0]?.code ?? r?.code?.coding?.[0]?.code;
const cat = (r, c) => r.category?.some((x) => x.coding?.some((y) => y.code === c));
const d = { deliveries: 0, postpartumVisit: 0, within3Weeks: 0, hypertensive: 0, bpWithin10Days: 0, screened: 0, screenedFrom2015: 0, deliveriesFrom2015: 0, deliveriesFrom2018: 0, within3WeeksFrom2018: 0 };
const stays = {};
for (const f of readdirSync(join(out, 'fhir')).filter((x) => x.endsWith('.json'))) {
  const res = JSON.parse(readFileSync(join(out, 'fhir', f), 'utf8')).entry.map((e) => e.resource);
  const encounters = res.filter((r) => r.resourceType === 'Encounter');
  const obs = res.filter((r) => r.resourceType === 'Observation');
  const conds = res.filter((r) => r.resourceType === 'Condition');
  const procs = res.filter((r) => r.resourceType === 'Procedure');
  const postnatal = encounters.filter((e) => code(e) === POSTNATAL);
  for (const e of encounters.filter((x) => x.class?.code === 'IMP')) {
    const type = code(e);
    const kind = type === DELIVERY ? 'delivery' : type === ACUTE ? 'acute' : type;
    const s = (stays[kind] ??= { stays: 0, withVitals: 0, withLabs: 0, vitalsPerDay: 0 });
    s.stays++;
    const mine = obs.filter((o) => ref(o.encounter) === e.id);
    const v = mine.filter((o) => cat(o, 'vital-signs')).length;
    if (v > 0) s.withVitals++;
    if (mine.some((o) => cat(o, 'laboratory'))) s.withLabs++;
    s.vitalsPerDay += v / Math.max(1, (Date.parse(e.period.end) - Date.parse(e.period.start)) / DAY);
    if (type !== DELIVERY) continue;
    d.deliveries++;
    const discharge = Date.parse(e.period.end);
    const after = postnatal.filter((p) => Date.parse(p.period.start) >= discharge).map((p) => ({ p, days: (Date.parse(p.period.start) - discharge) / DAY }));
    if (after.some((x) => x.days <= 84)) d.postpartumVisit++;
    if (after.some((x) => x.days <= 21)) d.within3Weeks++;
    if (discharge >= Date.parse('2018-05-01')) {
      d.deliveriesFrom2018++;
      if (after.some((x) => x.days <= 21)) d.within3WeeksFrom2018++;
    }
    const pe = conds.some((c) => code(c) === PREECLAMPSIA && Date.parse(c.abatementDateTime ?? '') >= Date.parse(e.period.start) && Date.parse(c.abatementDateTime ?? '') <= discharge);
    const htn = conds.some((c) => code(c) === HYPERTENSION && Date.parse(c.recordedDate ?? c.onsetDateTime) <= discharge && (c.abatementDateTime === undefined || Date.parse(c.abatementDateTime) > discharge));
    if (pe || htn) {
      d.hypertensive++;
      if (obs.some((o) => code(o) === BP && (Date.parse(o.effectiveDateTime) - discharge) / DAY >= 0 && (Date.parse(o.effectiveDateTime) - discharge) / DAY <= 10)) d.bpWithin10Days++;
    }
    const ppIds = new Set(after.filter((x) => x.days <= 84).map((x) => x.p.id));
    const screened = procs.some((p) => code(p) === SCREEN && ppIds.has(ref(p.encounter)));
    if (screened) d.screened++;
    if (discharge >= Date.parse('2015-06-01')) {
      d.deliveriesFrom2015++;
      if (screened) d.screenedFrom2015++;
    }
  }
}
for (const s of Object.values(stays)) s.vitalsPerDay = Math.round((10 * s.vitalsPerDay) / s.stays) / 10;
console.log(JSON.stringify({ deliveries: d, stays }, null, 1));

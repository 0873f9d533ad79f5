// Measures the labs of inpatient stays and whether the stay's notes cite them (issues 12 and 13):
//   node scripts/measure-stay-labs.mjs OUT_DIR
// Prints one JSON object: inpatient stays by kind (delivery, acute illness, other) with how many
// carry a lab Observation drawn within the stay (and how many such results lie outside their stay's
// period), and for discharge summaries and H&Ps of stays the share whose mentions cite a lab
// result of their own stay (an Observation of the stay's encounter, or drawn during the stay).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const out = process.argv[2];
const DELIVERY = '305408004'; // Admission to delivery suite
const ACUTE = '183452005'; // Emergency hospital admission (acute illness episodes)
const LAB = 'laboratory';
const stays = { delivery: { stays: 0, withLabs: 0 }, acute: { stays: 0, withLabs: 0 }, other: { stays: 0, withLabs: 0 } };
let outsideStay = 0;
const notes = { 'discharge-summary': { notes: 0, citing: 0 }, 'history-and-physical': { notes: 0, citing: 0 } };
const ref = (r) => (typeof r?.reference === 'string' ? r.reference.replace(/^.*\//, '').replace(/^urn:uuid:/, '') : undefined);
for (const f of readdirSync(join(out, 'fhir')).filter((x) => x.endsWith('.json'))) {
  const b = JSON.parse(readFileSync(join(out, 'fhir', f), 'utf8'));
  const res = b.entry.map((e) => e.resource);
  const patient = res.find((r) => r.resourceType === 'Patient');
  const imp = new Map(res.filter((r) => r.resourceType === 'Encounter' && r.class?.code === 'IMP').map((r) => [r.id, r]));
  const labs = res.filter((r) => r.resourceType === 'Observation' && r.category?.some((c) => c.coding?.some((x) => x.code === LAB)));
  const byId = new Map(labs.map((r) => [r.id, r]));
  const ofStay = new Map();
  for (const o of labs) {
    const e = imp.get(ref(o.encounter));
    if (e === undefined) continue;
    const t = Date.parse(o.effectiveDateTime);
    if (t < Date.parse(e.period.start) || t > Date.parse(e.period.end)) outsideStay++;
  }
  for (const e of imp.values()) {
    const [a, z] = [Date.parse(e.period.start), Date.parse(e.period.end)];
    const ids = new Set(labs.filter((o) => ref(o.encounter) === e.id || (Date.parse(o.effectiveDateTime) >= a && Date.parse(o.effectiveDateTime) <= z)).map((o) => o.id));
    ofStay.set(e.id, ids);
    const type = e.type?.[0]?.coding?.[0]?.code;
    const kind = type === DELIVERY ? 'delivery' : type === ACUTE ? 'acute' : 'other';
    stays[kind].stays++;
    if ([...ids].some((id) => ref(byId.get(id)?.encounter) === e.id)) stays[kind].withLabs++;
  }
  const dir = join(out, 'notes', patient.id);
  if (!existsSync(dir)) continue;
  for (const n of readdirSync(dir).filter((x) => x.endsWith('.json'))) {
    const note = JSON.parse(readFileSync(join(dir, n), 'utf8'));
    const tally = notes[note.noteType];
    if (tally === undefined || !imp.has(note.encounterId)) continue;
    tally.notes++;
    const ids = ofStay.get(note.encounterId);
    if (note.mentions.some((m) => m.resourceId !== undefined && ids.has(m.resourceId))) tally.citing++;
  }
}
const share = (t) => ({ ...t, share: t.notes === 0 ? 0 : Math.round((1000 * t.citing) / t.notes) / 10 });
console.log(JSON.stringify({ stays, labsOutsideTheirStay: outsideStay, notes: Object.fromEntries(Object.entries(notes).map(([k, v]) => [k, share(v)])) }, null, 1));

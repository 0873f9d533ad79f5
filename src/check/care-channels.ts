/**
 * Channels: a virtual encounter (class VR) is a telephone or video visit of care-channels.yaml,
 * dated on or after its channel began (no video visits in 1995), and records no vital signs (no
 * one measured them).
 */
import { loadCareChannels } from '../knowledge/care-channels.js';
import { codingsOf, hasCode, instantOf, referenceOf } from './bundle-view.js';
import type { CheckRule } from './rule.js';

export const careChannels: CheckRule = {
  id: 'clinical.care-channel',
  family: 'clinical',
  title: 'virtual encounters are telephone or video visits of their era, with no vital signs recorded',
  check(view, emit) {
    const channels = loadCareChannels();
    const virtual = new Set<string>();
    for (const r of view.resources) {
      if (r.resourceType !== 'Encounter' || (r['class'] as { code?: unknown } | undefined)?.code !== 'VR') continue;
      virtual.add(r.id);
      const codes = codingsOf((r['type'] as unknown[] | undefined)?.[0]);
      const channel = channels.find((c) => codes.some((x) => x.code === c.type.code));
      const start = (r['period'] as { start?: unknown } | undefined)?.start;
      const t = typeof start === 'string' ? instantOf(start) : undefined;
      if (channel === undefined) emit(r, `virtual encounter whose type is not a telephone or video visit (${codes.map((c) => c.code).join(', ') || 'none'})`);
      else if (t !== undefined && t < channel.fromTime) emit(r, `${channel.name} visit on ${String(start).slice(0, 10)}, before ${channel.name} visits began (${channel.from})`);
    }
    if (virtual.size === 0) return;
    for (const r of view.resources) {
      if (r.resourceType !== 'Observation' || !hasCode(r['category'] !== undefined ? (r['category'] as unknown[])[0] : undefined, new Set(['vital-signs']))) continue;
      const enc = referenceOf(r['encounter']);
      const e = enc === undefined ? undefined : view.resolve(enc);
      if (e !== undefined && virtual.has(e.id)) emit(r, `vital sign recorded at a ${String((e['type'] as { text?: unknown }[] | undefined)?.[0]?.text ?? 'virtual')} visit, where no one could measure it`);
    }
  },
};

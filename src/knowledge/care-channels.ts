/** Telephone and video visits (data/care-channels.yaml): when each channel began and its share of follow-ups by year. */
import { z } from 'zod';
import { KnowledgeError } from '../errors.js';
import { loadKnowledgeFile, once } from './load.js';
import { CodingSchema, ShareSchema } from './schemas.js';

const Channel = z.strictObject({
  class: z.literal('VR'),
  type: CodingSchema,
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD'),
  shareByYear: z.array(z.strictObject({ year: z.number().int(), share: ShareSchema })).min(1),
});

export const CareChannelsSchema = z.strictObject({
  source: z.string().min(1),
  channels: z.strictObject({ telephone: Channel, video: Channel }),
});

/** A remote visit channel. */
export type ChannelName = keyof z.infer<typeof CareChannelsSchema>['channels'];
export type CareChannel = z.infer<typeof Channel> & { readonly name: ChannelName; readonly fromTime: number };

export const loadCareChannels = once((): readonly CareChannel[] => {
  const t = loadKnowledgeFile('care-channels.yaml', CareChannelsSchema);
  const out = (Object.keys(t.channels) as ChannelName[]).map((name) => ({ ...t.channels[name], name, fromTime: Date.parse(`${t.channels[name].from}T00:00:00Z`) }));
  for (const c of out) {
    if (c.shareByYear[0]!.year < new Date(c.fromTime).getUTCFullYear()) throw new KnowledgeError(`care-channels.yaml: ${c.name} has a share before it began`);
  }
  return out;
});

/** The channel's share of follow-ups at `time` (ms): 0 before it began, else the share of the latest year listed at or before it. */
export function channelShare(c: CareChannel, time: number): number {
  if (time < c.fromTime) return 0;
  const year = new Date(time).getUTCFullYear();
  let share = 0;
  for (const p of c.shareByYear) if (p.year <= year) share = p.share;
  return share;
}

import { z } from 'zod';
import { loadKnowledgeFile, once } from './load.js';
import { CurveSchema, ShareSchema } from './schemas.js';

/** Whether the runtime's tz database knows the zone. */
function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const StatesSchema = z.strictObject({
  source: z.string(),
  states: z
    .array(
      z.strictObject({
        code: z.string().regex(/^[A-Z]{2}$/),
        name: z.string(),
        fips: z.string().regex(/^\d{2}$/),
        population: z.number().int().positive(),
        areaCode: z.string().regex(/^[2-9]\d{2}$/),
        /** IANA time zone of the state's clinics: visit times are booked in its local clinic hours. */
        timeZone: z.string().refine(isTimeZone, 'not an IANA time zone'),
      }),
    )
    .min(1),
});
export type State = z.infer<typeof StatesSchema>['states'][number];

export const CensusAgeSexSchema = z.strictObject({
  source: z.string(),
  bands: z
    .array(
      z.strictObject({
        minAge: z.number().int().min(0),
        maxAge: z.number().int(),
        male: z.number().positive(),
        female: z.number().positive(),
      }),
    )
    .min(1),
});

export const LifeTableSchema = z.strictObject({
  source: z.string(),
  male: CurveSchema,
  female: CurveSchema,
});

const RaceOption = z.strictObject({ code: z.string().nullable(), display: z.string(), share: ShareSchema });
const LanguageOption = z.strictObject({ code: z.string(), display: z.string(), share: ShareSchema });

export const RaceEthnicitySchema = z.strictObject({
  source: z.string(),
  ethnicity: z.array(
    z.strictObject({
      key: z.enum(['hispanic', 'nonHispanic']),
      share: ShareSchema,
      code: z.string(),
      display: z.string(),
    }),
  ),
  raceByEthnicity: z.strictObject({ hispanic: z.array(RaceOption), nonHispanic: z.array(RaceOption) }),
  languages: z.strictObject({
    comment: z.string(),
    hispanic: z.array(LanguageOption),
    asian: z.array(LanguageOption),
    other: z.array(LanguageOption),
  }),
  maritalStatus: z.strictObject({
    comment: z.string(),
    codes: z.record(z.string(), z.string()),
    byAge: z.array(
      z.strictObject({
        minAge: z.number().int(),
        maxAge: z.number().int(),
        shares: z.record(z.string(), ShareSchema),
      }),
    ),
  }),
});
export type RaceEthnicity = z.infer<typeof RaceEthnicitySchema>;

export const loadStates = once(() => loadKnowledgeFile('states.json', StatesSchema).states);
export const loadCensusAgeSex = once(() => loadKnowledgeFile('census-age-sex.json', CensusAgeSexSchema));
export const loadLifeTable = once(() => loadKnowledgeFile('life-table.json', LifeTableSchema));
export const loadRaceEthnicity = once(() => loadKnowledgeFile('race-ethnicity.json', RaceEthnicitySchema));

/** The time zone of a state's clinics (UTC for a code not in the table). */
export function timeZoneOf(state: string): string {
  return loadStates().find((s) => s.code === state)?.timeZone ?? 'UTC';
}

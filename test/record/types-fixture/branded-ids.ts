// Compiled by test/record/branded-ids.test.ts, never run: each @ts-expect-error marks a line the
// compiler must refuse. Should the brands stop working, the directive is unused and compiling fails.
import type { ConditionEntry, ConditionId, EncounterId, MedicationOrder, PatientRecord, PractitionerId } from '../../../src/record/types.js';
import { IdAllocator } from '../../../src/timeline/ids.js';

declare const condition: ConditionEntry;
declare const order: MedicationOrder;
declare const record: PatientRecord;

export const rightKind: EncounterId = record.encounters[0]!.id;
export const asText: string = condition.id;
// @ts-expect-error a condition's id is not an encounter's
export const wrongKind: EncounterId = condition.id;
// @ts-expect-error an order's practitioner is not an encounter
export const swapped: EncounterId = order.practitionerId;
// @ts-expect-error a bare string is no id
export const bare: ConditionId = 'c-1';

const ids = new IdAllocator([1, 2, 3, 4]);
export const made: PractitionerId = ids.next();
export const death: PatientRecord['death'] = { id: 'd', time: 0, cause: { system: 's', code: 'c', display: 'd' }, encounterId: undefined, practitionerId: undefined };
// @ts-expect-error a death has its time and its cause together
export const halfDeath: PatientRecord['death'] = { id: 'd', time: 0, encounterId: undefined, practitionerId: undefined };

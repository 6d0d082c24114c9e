// The provider's custom field definitions and the customer's answers. Answers are keyed by the field's
// display name only (as in ESPM), so renaming a field orphans its answers and deleting it drops them.
import type { CustomFieldDefinition, CustomFieldValue, WhenToPrompt } from '../espm.ts';
import { MESSAGES, SimError } from '../errors.ts';
import type { CustomFieldLevel, CustomFieldRecord } from '../state/model.ts';
import type { DomainContext } from './context.ts';

const PROMPT_OF_LEVEL: Record<CustomFieldLevel, WhenToPrompt> = {
  account: 'Once',
  property: 'Property',
  meter: 'Meter',
};

export function listDefinitions(ctx: DomainContext): CustomFieldRecord[] {
  return Object.values(ctx.store.data.customFields).sort(
    (a, b) =>
      (a.definition.displayOrder ?? Infinity) - (b.definition.displayOrder ?? Infinity) ||
      Number(a.id) - Number(b.id),
  );
}

export function getDefinition(ctx: DomainContext, id: string): CustomFieldRecord {
  const f = ctx.store.data.customFields[id];
  if (!f) throw new SimError(404, MESSAGES.notFound(`Custom field ${id}`));
  return f;
}

function checkUniqueName(ctx: DomainContext, def: CustomFieldDefinition, exceptId?: string): void {
  const clash = Object.values(ctx.store.data.customFields).find(
    (f) => f.definition.name === def.name && f.id !== exceptId,
  );
  if (clash) throw new SimError(400, `A custom field named "${def.name}" already exists (id ${clash.id}).`);
}

export function createDefinition(ctx: DomainContext, def: CustomFieldDefinition): CustomFieldRecord {
  checkUniqueName(ctx, def);
  return ctx.store.insert('customFields', { id: ctx.store.nextId('customField'), definition: def });
}

export function updateDefinition(
  ctx: DomainContext,
  id: string,
  def: CustomFieldDefinition,
): CustomFieldRecord {
  const record = getDefinition(ctx, id);
  checkUniqueName(ctx, def, id);
  record.definition = def;
  ctx.store.touch();
  return record;
}

export function deleteDefinition(ctx: DomainContext, id: string): void {
  const { name } = getDefinition(ctx, id).definition;
  delete ctx.store.data.customFields[id];
  for (const byId of Object.values(ctx.store.data.customFieldValues)) {
    for (const [key, values] of Object.entries(byId)) {
      byId[key] = values.filter((v) => v.name !== name);
    }
  }
  ctx.store.touch();
}

/**
 * Stores the customer's answers for one account, property or meter. Like the removed test API, no
 * value is checked against the definitions (API.md §1.2): the gateway must validate them itself.
 */
export function setValues(
  ctx: DomainContext,
  level: CustomFieldLevel,
  id: string,
  values: CustomFieldValue[],
): void {
  const byName = new Map((ctx.store.data.customFieldValues[level][id] ?? []).map((v) => [v.name, v]));
  for (const v of values)
    byName.set(v.name.normalize('NFC'), { name: v.name.normalize('NFC'), value: v.value });
  ctx.store.data.customFieldValues[level][id] = [...byName.values()];
  ctx.store.touch();
}

/** The answers to the provider's current fields of that level, in the fields' display order. */
export function valuesFor(ctx: DomainContext, level: CustomFieldLevel, id: string): CustomFieldValue[] {
  const stored = ctx.store.data.customFieldValues[level][id] ?? [];
  const out: CustomFieldValue[] = [];
  for (const f of listDefinitions(ctx)) {
    if (f.definition.whenToPrompt !== PROMPT_OF_LEVEL[level]) continue;
    const v = stored.find((s) => s.name === f.definition.name);
    if (v) out.push(v);
  }
  return out;
}

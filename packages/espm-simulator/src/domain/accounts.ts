// The customer's own records: an account, its properties and their meters, as a customer creates them
// in ESPM (POST /account, /account/{id}/property, /property/{id}/meter).
import type { Meter, NewAccount, PropertyInfo } from '../espm.ts';
import { isNaturalGasUnit, METER_TYPES, NATURAL_GAS, NATURAL_GAS_UNITS } from '../espm.ts';
import { MESSAGES, SimError } from '../errors.ts';
import type { AccountRecord, MeterRecord, PropertyRecord } from '../state/model.ts';
import { ownProperty } from './access.ts';
import { newAudit } from './audit.ts';
import type { DomainContext } from './context.ts';

export function findAccountByUsername(ctx: DomainContext, username: string): AccountRecord | undefined {
  return ctx.store.accountByUsername(username);
}

export function createAccount(ctx: DomainContext, a: NewAccount): AccountRecord {
  if (findAccountByUsername(ctx, a.username)) {
    throw new SimError(400, `The username "${a.username}" is already in use.`);
  }
  const { store } = ctx;
  const account: AccountRecord = {
    id: store.nextId('account'),
    username: a.username,
    password: a.password,
    contact: structuredClone(a.contact),
    organization: a.organization,
    languagePreference: a.languagePreference ?? 'en_US',
    isProvider: false,
    searchable: a.searchable,
    createdDate: store.timestamp(),
  };
  store.addAccount(account);
  store.touch();
  return account;
}

export function createProperty(
  ctx: DomainContext,
  caller: AccountRecord,
  accountId: string,
  info: PropertyInfo,
): PropertyRecord {
  if (caller.id !== accountId || caller.isProvider) throw new SimError(403, MESSAGES.accessDenied);
  const { accessLevel: _level, audit: _audit, ...clean } = info;
  const property: PropertyRecord = {
    id: ctx.store.nextId('property'),
    accountId,
    info: clean,
    audit: newAudit(caller, ctx.store.timestamp()),
  };
  return ctx.store.insert('properties', property);
}

export function createMeter(
  ctx: DomainContext,
  caller: AccountRecord,
  propertyId: string,
  meter: Meter,
): MeterRecord {
  ownProperty(ctx, caller, propertyId);
  if (!(METER_TYPES as readonly string[]).includes(meter.type)) {
    throw new SimError(400, `Meter type "${meter.type}" is not an energy or water meter type.`);
  }
  // ESPM's answer to a unit a gas meter cannot have is unknown (API.md §8); refusing it is the choice.
  if (meter.type === NATURAL_GAS && !isNaturalGasUnit(meter.unitOfMeasure)) {
    throw new SimError(
      400,
      `"${meter.unitOfMeasure}" is not a unit of measure for a Natural Gas meter; use one of: ${NATURAL_GAS_UNITS.join(', ')}.`,
    );
  }
  const { id: _id, accessLevel: _level, audit: _audit, ...clean } = meter;
  const record: MeterRecord = {
    id: ctx.store.nextId('meter'),
    propertyId,
    meter: { metered: true, ...clean },
    audit: newAudit(caller, ctx.store.timestamp()),
  };
  return ctx.store.insert('meters', record);
}

export function metersOfProperty(ctx: DomainContext, propertyId: string): MeterRecord[] {
  return Object.values(ctx.store.data.meters).filter((m) => m.propertyId === propertyId);
}

export function propertiesOfAccount(ctx: DomainContext, accountId: string): PropertyRecord[] {
  return Object.values(ctx.store.data.properties).filter((p) => p.accountId === accountId);
}

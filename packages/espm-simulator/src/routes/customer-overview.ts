// GET /sim/customer/api/me: what the customer page shows, the state of every request with the
// provider's notes, in one JSON document.
import { metersOfProperty, propertiesOfAccount } from '../domain/accounts.ts';
import type { SimContext } from '../http/context.ts';
import type { AccountRecord, ConnectionRecord, ShareRecord } from '../state/model.ts';

/** What the page shows of any request: the provider's note and when it was asked and answered. */
function answerView(r: ShareRecord | ConnectionRecord) {
  return { note: r.note ?? null, requestedDate: r.audit.createdDate, answeredDate: r.answeredDate ?? null };
}

function shareView(s: ShareRecord | undefined) {
  if (!s) return null;
  return {
    status: s.status,
    accessLevel: s.accessLevel,
    ...answerView(s),
    removedDate: s.removedDate ?? null,
    removedBy: s.removedBy ?? null,
    closedByPropertyShare: s.closedByPropertyShare ?? false,
  };
}

export function customerOverview(sim: SimContext, caller: AccountRecord) {
  const { domain, store } = sim;
  const d = store.data;
  const c = d.connections[caller.id];
  return {
    account: {
      id: caller.id,
      username: caller.username,
      organization: caller.organization,
      firstName: caller.contact.firstName,
      lastName: caller.contact.lastName,
      email: caller.contact.email,
      languagePreference: caller.languagePreference,
    },
    connection: c
      ? {
          status: c.status,
          ...answerView(c),
          endedDate: c.endedDate ?? null,
          endedBy: c.endedBy ?? null,
        }
      : null,
    accountCustomFields: d.customFieldValues.account[caller.id] ?? [],
    properties: propertiesOfAccount(domain, caller.id).map((p) => ({
      id: p.id,
      name: p.info.name ?? '',
      primaryFunction: p.info.primaryFunction ?? '',
      address: p.info.address ?? null,
      share: shareView(d.propertyShares[p.id]),
      customFields: d.customFieldValues.property[p.id] ?? [],
      meters: metersOfProperty(domain, p.id).map((m) => ({
        id: m.id,
        name: m.meter.name,
        type: m.meter.type,
        unitOfMeasure: m.meter.unitOfMeasure,
        firstBillDate: m.meter.firstBillDate,
        aggregateMeter: m.meter.aggregateMeter === true,
        inUse: m.meter.inUse,
        share: shareView(d.meterShares[m.id]),
        customFields: d.customFieldValues.meter[m.id] ?? [],
        entryCount: store.entriesOfMeter(m.id).length,
      })),
    })),
  };
}

// The customer's steps through EPA's Test-only services (API.md §9): POST /invite/account/{provider}
// [/property|/meter/{id}]?accessLevel=…, and PUT /meter/{id}/customFieldList/recipient/{provider}
// for the four answers, sent before the meter's share as a customer types them before sharing.
import type { AccessLevel, CustomFieldValue } from '@gaz-espm/espm';
import { FIELD } from '../exchange/custom-fields.ts';
import type { CustomerServices } from './customer-services.ts';
import type { CustomerSide, MeterAnswers, PropertyToShare, ProviderAccount } from './customer-side.ts';
import { noEvidence } from './customer-side.ts';

export function answersAsFields(a: MeterAnswers): CustomFieldValue[] {
  return [
    { name: FIELD.accountNumber, value: a.accountNumber },
    { name: FIELD.invoiceNumber, value: a.invoiceNumber },
    { name: FIELD.meterNumber, value: a.meterNumber },
    { name: FIELD.initialLoad, value: a.initialLoad },
  ];
}

export function apiSide(customer: CustomerServices): CustomerSide {
  return {
    name: 'api',
    patienceMs: 3 * 60_000,
    async connect(provider: ProviderAccount) {
      await customer.inviteConnection(provider.accountId);
      return noEvidence(`POST /invite/account/${provider.accountId}`);
    },
    async share(provider: ProviderAccount, property: PropertyToShare, level: AccessLevel) {
      await customer.shareProperty(provider.accountId, property.propertyId, level);
      for (const m of property.meters) {
        await customer.answerMeterFields(provider.accountId, m.meterId, answersAsFields(m.answers));
        await customer.shareMeter(provider.accountId, m.meterId, level);
      }
      return noEvidence(
        `property ${property.propertyId} and meters ${property.meters.map((m) => m.meterId).join(', ')} shared (${level})`,
      );
    },
    async makeReadOnly(provider, _property, meter) {
      await customer.shareMeter(provider.accountId, meter.meterId, 'Read');
      return noEvidence(`meter ${meter.meterId} shared again as Read`);
    },
    close: async () => undefined,
  };
}

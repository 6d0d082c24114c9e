// The demo's simulated customers: some share correctly, some make each kind of mistake the guide
// warns about, one has entered its own bills already, and one removes access a little later.
import type { SimulatedCustomer } from '@gaz-espm/espm-simulator';
import type { SampleAccount } from './sample-billing.ts';
import { GUIDE_ACCOUNT } from './guide-account.ts';

export interface DemoCustomer {
  username: string;
  organization: string;
  /** The customer's contact in ESPM: every customer has their own, as the console lists them by name. */
  contact: { firstName: string; lastName: string };
  /** The property's name in ESPM (its meter is named after it). */
  property: string;
  /** What happens: shown in the demo's console output. */
  story: string;
  meter?: { type?: string; unitOfMeasure?: string };
  accessLevel?: 'Read' | 'Read Write';
  answers: (accounts: SampleAccount[]) => {
    accountNumber?: string;
    invoiceNumber?: string;
    meterNumber?: string;
    initialLoad?: string;
  };
  before?: (customer: SimulatedCustomer, meterId: string) => Promise<unknown>;
  /** Done once the share was accepted, after a delay. */
  later?: (customer: SimulatedCustomer, ids: { propertyId: string; meterId: string }) => Promise<unknown>;
}

const valid = (a: SampleAccount, initialLoad = '24') => ({
  accountNumber: a.accountNumber,
  invoiceNumber: a.latestInvoice,
  meterNumber: a.meterNumbers[0]!,
  initialLoad,
});

/** One row of the table below: who the customer is, what happens to them, what they type and do. */
function customer(
  username: string,
  organization: string,
  [firstName, lastName]: [string, string],
  property: string,
  story: string,
  does: Pick<DemoCustomer, 'answers' | 'meter' | 'accessLevel' | 'before' | 'later'>,
): DemoCustomer {
  return { username, organization, contact: { firstName, lastName }, property, story, ...does };
}

export const DEMO_CUSTOMERS: DemoCustomer[] = [
  customer(
    'code201',
    'Code',
    ['Marc-Étienne', 'Charron'],
    'Bureau Code, rue Sherbrooke',
    'the guide’s example: 24 months of history',
    {
      answers: () => ({
        accountNumber: GUIDE_ACCOUNT.accountNumber,
        invoiceNumber: GUIDE_ACCOUNT.invoiceNumber,
        meterNumber: GUIDE_ACCOUNT.meterNumber,
        initialLoad: '24',
      }),
    },
  ),
  customer(
    'immeubles-laval',
    'Immeubles Laval',
    ['Sophie', 'Tremblay'],
    'Tour Laval-Centre',
    'valid, 12 months, typed with spaces',
    {
      answers: (a) => ({
        ...valid(a[1]!, '12'),
        accountNumber: a[1]!.accountNumber.replace(/(\d{3})(\d{4})/, '$1 $2 '),
      }),
    },
  ),
  customer(
    'gestion-rive-sud',
    'Gestion Rive-Sud',
    ['Karim', 'Haddad'],
    'Plaza Longueuil',
    'valid, meter in therms, no history',
    { meter: { unitOfMeasure: 'therms' }, answers: (a) => valid(a[2]!, '0') },
  ),
  customer(
    'cegep-nord',
    'Cégep du Nord',
    ['Isabelle', 'Gagnon'],
    'Pavillon des sciences',
    'valid, 6 months',
    { answers: (a) => valid(a[3]!, '6') },
  ),
  customer(
    'ancienne-facture',
    'Copropriété Saint-Denis',
    ['Jean-François', 'Roy'],
    'Copropriété Saint-Denis 4200',
    'mistake: an older invoice number',
    { answers: (a) => ({ ...valid(a[4]!), invoiceNumber: a[4]!.olderInvoice }) },
  ),
  customer(
    'compte-inconnu',
    'Boulangerie Mile-End',
    ['Nadia', 'Benali'],
    'Boulangerie Mile-End',
    'mistake: an account number that does not exist',
    { answers: (a) => ({ ...valid(a[5]!), accountNumber: '98765432109' }) },
  ),
  customer(
    'mauvais-compteur',
    'Résidence Les Érables',
    ['Pierre', 'Lavoie'],
    'Résidence Les Érables',
    'mistake: the meter of another account',
    { answers: (a) => ({ ...valid(a[6]!), meterNumber: a[7]!.meterNumbers[0]! }) },
  ),
  customer(
    'format-invalide',
    'Clinique Verdun',
    ['Mei', 'Chen'],
    'Clinique Verdun',
    'mistake: a 9-digit account number',
    { answers: (a) => ({ ...valid(a[8]!), accountNumber: '123456789' }) },
  ),
  customer(
    'lecture-seule',
    'École Saint-Laurent',
    ['Lucie', 'Bergeron'],
    'École Saint-Laurent, pavillon A',
    'mistake: read-only access',
    { accessLevel: 'Read', answers: (a) => valid(a[9]!) },
  ),
  customer(
    'donnees-existantes',
    'Hôtel Vieux-Port',
    ['Antoine', 'Côté'],
    'Hôtel Vieux-Port',
    'has entered its own bill already: conflict for an operator',
    {
      answers: (a) => valid(a[11]!, '12'),
      before: (c, meterId) => {
        const d = new Date(Date.now() - 75 * 86_400_000).toISOString().slice(0, 10);
        const e = new Date(Date.now() - 50 * 86_400_000).toISOString().slice(0, 10);
        return c.enterBill(meterId, { startDate: d, endDate: e, usage: '812' });
      },
    },
  ),
  customer(
    'retrait-acces',
    'Centre sportif Rosemont',
    ['Olivier', 'Fortin'],
    'Centre sportif Rosemont',
    'valid, then sets the meter to "no access" two minutes later',
    { answers: (a) => valid(a[12]!, '3'), later: (c, ids) => c.setMeterNoAccess(ids.meterId) },
  ),
  // A hostile organization name (markup) is the console tests' case (test-support XSS), not a visitor's.
  customer(
    'entrepot-st-michel',
    'Entrepôt « Saint-Michel » & fils',
    ['Chloé', 'Martel'],
    'Entrepôt Saint-Michel',
    'an organization name with guillemets and an ampersand, shown as typed',
    { answers: (a) => valid(a[13]!, '2') },
  ),
];

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

export const DEMO_CUSTOMERS: DemoCustomer[] = [
  {
    username: 'code201',
    organization: 'Code',
    contact: { firstName: 'Marc-Étienne', lastName: 'Charron' },
    property: 'Bureau Code, rue Sherbrooke',
    story: 'the guide’s example: 24 months of history',
    answers: () => ({
      accountNumber: GUIDE_ACCOUNT.accountNumber,
      invoiceNumber: GUIDE_ACCOUNT.invoiceNumber,
      meterNumber: GUIDE_ACCOUNT.meterNumber,
      initialLoad: '24',
    }),
  },
  {
    username: 'immeubles-laval',
    organization: 'Immeubles Laval',
    contact: { firstName: 'Sophie', lastName: 'Tremblay' },
    property: 'Tour Laval-Centre',
    story: 'valid, 12 months, typed with spaces',
    answers: (a) => ({
      ...valid(a[1]!, '12'),
      accountNumber: a[1]!.accountNumber.replace(/(\d{3})(\d{4})/, '$1 $2 '),
    }),
  },
  {
    username: 'gestion-rive-sud',
    organization: 'Gestion Rive-Sud',
    contact: { firstName: 'Karim', lastName: 'Haddad' },
    property: 'Plaza Longueuil',
    story: 'valid, meter in therms, no history',
    meter: { unitOfMeasure: 'therms' },
    answers: (a) => valid(a[2]!, '0'),
  },
  {
    username: 'cegep-nord',
    organization: 'Cégep du Nord',
    contact: { firstName: 'Isabelle', lastName: 'Gagnon' },
    property: 'Pavillon des sciences',
    story: 'valid, 6 months',
    answers: (a) => valid(a[3]!, '6'),
  },
  {
    username: 'ancienne-facture',
    organization: 'Copropriété Saint-Denis',
    contact: { firstName: 'Jean-François', lastName: 'Roy' },
    property: 'Copropriété Saint-Denis 4200',
    story: 'mistake: an older invoice number',
    answers: (a) => ({ ...valid(a[4]!), invoiceNumber: a[4]!.olderInvoice }),
  },
  {
    username: 'compte-inconnu',
    organization: 'Boulangerie Mile-End',
    contact: { firstName: 'Nadia', lastName: 'Benali' },
    property: 'Boulangerie Mile-End',
    story: 'mistake: an account number that does not exist',
    answers: (a) => ({ ...valid(a[5]!), accountNumber: '98765432109' }),
  },
  {
    username: 'mauvais-compteur',
    organization: 'Résidence Les Érables',
    contact: { firstName: 'Pierre', lastName: 'Lavoie' },
    property: 'Résidence Les Érables',
    story: 'mistake: the meter of another account',
    answers: (a) => ({ ...valid(a[6]!), meterNumber: a[7]!.meterNumbers[0]! }),
  },
  {
    username: 'format-invalide',
    organization: 'Clinique Verdun',
    contact: { firstName: 'Mei', lastName: 'Chen' },
    property: 'Clinique Verdun',
    story: 'mistake: a 9-digit account number',
    answers: (a) => ({ ...valid(a[8]!), accountNumber: '123456789' }),
  },
  {
    username: 'lecture-seule',
    organization: 'École Saint-Laurent',
    contact: { firstName: 'Lucie', lastName: 'Bergeron' },
    property: 'École Saint-Laurent, pavillon A',
    story: 'mistake: read-only access',
    accessLevel: 'Read',
    answers: (a) => valid(a[9]!),
  },
  {
    username: 'donnees-existantes',
    organization: 'Hôtel Vieux-Port',
    contact: { firstName: 'Antoine', lastName: 'Côté' },
    property: 'Hôtel Vieux-Port',
    story: 'has entered its own bill already: conflict for an operator',
    answers: (a) => valid(a[11]!, '12'),
    before: (c, meterId) => {
      const d = new Date(Date.now() - 75 * 86_400_000).toISOString().slice(0, 10);
      const e = new Date(Date.now() - 50 * 86_400_000).toISOString().slice(0, 10);
      return c.enterBill(meterId, { startDate: d, endDate: e, usage: '812' });
    },
  },
  {
    username: 'retrait-acces',
    organization: 'Centre sportif Rosemont',
    contact: { firstName: 'Olivier', lastName: 'Fortin' },
    property: 'Centre sportif Rosemont',
    story: 'valid, then sets the meter to "no access" two minutes later',
    answers: (a) => valid(a[12]!, '3'),
    later: (c, ids) => c.setMeterNoAccess(ids.meterId),
  },
  {
    // A hostile organization name (markup) is the console tests' case (test-support XSS), not a visitor's.
    username: 'entrepot-st-michel',
    organization: 'Entrepôt « Saint-Michel » & fils',
    contact: { firstName: 'Chloé', lastName: 'Martel' },
    property: 'Entrepôt Saint-Michel',
    story: 'an organization name with guillemets and an ampersand, shown as typed',
    answers: (a) => valid(a[13]!, '2'),
  },
];

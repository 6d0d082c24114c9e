// <customer> (a connected account, as the provider sees it) and <account> (as the customer creates it).
import type { AccountSummary, Customer, LanguagePreference, NewAccount } from '../types.ts';
import type { XmlElement } from './codec.ts';
import {
  buildDocument,
  bool,
  child,
  compact,
  oneOf,
  optBool,
  optText,
  parseDocument,
  present,
  text,
} from './codec.ts';
import { buildAccountInfo, buildAddress, parseAccountInfo, parseAddress } from './common.ts';

const LANGUAGES = ['en_US', 'fr_CA', 'es_US'] as const;

function parseLanguage(root: XmlElement, where: string): LanguagePreference | undefined {
  const lang = optText(root, 'languagePreference');
  return lang ? oneOf(lang, LANGUAGES, `<${where}/languagePreference>`) : undefined;
}

export function parseCustomer(xml: string): Customer {
  const root = parseDocument(xml, 'customer');
  const info = child(root, 'accountInfo');
  return present({
    username: optText(root, 'username') || undefined,
    languagePreference: parseLanguage(root, 'customer'),
    accountInfo: info ? parseAccountInfo(info, 'customer') : undefined,
  });
}

export function buildCustomer(c: Customer): string {
  return buildDocument(
    'customer',
    compact({
      username: c.username,
      languagePreference: c.languagePreference,
      accountInfo: c.accountInfo ? buildAccountInfo(c.accountInfo) : undefined,
    }),
  );
}

export function parseNewAccount(xml: string): NewAccount {
  const root = parseDocument(xml, 'account');
  const contact = child(root, 'contact') ?? {};
  const address = parseAddress(child(contact, 'address'), 'account/contact/address');
  const org = child(root, 'organization') ?? {};
  return {
    username: text(root, 'username', 'account'),
    password: text(root, 'password', 'account'),
    contact: {
      firstName: optText(contact, 'firstName') ?? '',
      lastName: optText(contact, 'lastName') ?? '',
      email: optText(contact, 'email') ?? '',
      jobTitle: optText(contact, 'jobTitle') ?? '',
      phone: optText(contact, 'phone') ?? '',
      address: address ?? { address1: '', city: '', postalCode: '', country: 'CA' },
    },
    organization: typeof org['@_name'] === 'string' ? org['@_name'] : '',
    webserviceUser: bool(optText(root, 'webserviceUser'), '<account/webserviceUser>'),
    searchable: bool(optText(root, 'searchable'), '<account/searchable>'),
    ...present({ languagePreference: parseLanguage(root, 'account') }),
  };
}

export function buildNewAccount(a: NewAccount): string {
  return buildDocument(
    'account',
    compact({
      username: a.username,
      password: a.password,
      contact: compact({
        firstName: a.contact.firstName,
        lastName: a.contact.lastName,
        email: a.contact.email,
        address: buildAddress(a.contact.address),
        jobTitle: a.contact.jobTitle,
        phone: a.contact.phone,
      }),
      organization: { '@_name': a.organization, primaryBusiness: 'Other', energyStarPartner: 'false' },
      webserviceUser: a.webserviceUser,
      searchable: a.searchable,
      languagePreference: a.languagePreference,
    }),
  );
}

/** GET /account: the signed-in account, as ESPM answers it (the provider's or a customer's own). */
export function parseAccount(xml: string): AccountSummary {
  const root = parseDocument(xml, 'account');
  return {
    id: text(root, 'id', 'account'),
    username: text(root, 'username', 'account'),
    ...present({
      webserviceUser: optBool(optText(root, 'webserviceUser'), '<account/webserviceUser>'),
      searchable: optBool(optText(root, 'searchable'), '<account/searchable>'),
    }),
  };
}

export function buildAccount(a: AccountSummary & { organization: string }): string {
  return buildDocument(
    'account',
    compact({
      id: a.id,
      username: a.username,
      organization: { '@_name': a.organization, primaryBusiness: 'Other', energyStarPartner: 'false' },
      webserviceUser: a.webserviceUser,
      searchable: a.searchable,
    }),
  );
}

// <customer> (a connected account, as the provider sees it) and <account> (as the customer creates it).
import type { AccountSummary, Customer, NewAccount } from '../types.ts';
import {
  buildDocument,
  bool,
  child,
  compact,
  oneOf,
  optBool,
  optText,
  parseDocument,
  text,
} from './codec.ts';
import { buildAccountInfo, buildAddress, parseAccountInfo, parseAddress } from './common.ts';

const LANGUAGES = ['en_US', 'fr_CA', 'es_US'] as const;

export function parseCustomer(xml: string): Customer {
  const root = parseDocument(xml, 'customer');
  const c: Customer = {};
  const username = optText(root, 'username');
  if (username) c.username = username;
  const lang = optText(root, 'languagePreference');
  if (lang) c.languagePreference = oneOf(lang, LANGUAGES, '<customer/languagePreference>');
  const info = child(root, 'accountInfo');
  if (info) c.accountInfo = parseAccountInfo(info, 'customer');
  return c;
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
  const account: NewAccount = {
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
  };
  const lang = optText(root, 'languagePreference');
  if (lang) account.languagePreference = oneOf(lang, LANGUAGES, '<account/languagePreference>');
  return account;
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
  const a: AccountSummary = {
    id: text(root, 'id', 'account'),
    username: text(root, 'username', 'account'),
  };
  const webserviceUser = optBool(optText(root, 'webserviceUser'), '<account/webserviceUser>');
  if (webserviceUser !== undefined) a.webserviceUser = webserviceUser;
  const searchable = optBool(optText(root, 'searchable'), '<account/searchable>');
  if (searchable !== undefined) a.searchable = searchable;
  return a;
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

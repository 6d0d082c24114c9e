import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateAgainstXsd } from '../xsd/validate.ts';
import {
  XmlDocumentError,
  buildCustomFieldDefinition,
  buildCustomFieldList,
  buildDataExchangeSettings,
  buildErrorResponse,
  buildMeter,
  buildMeterConsumption,
  buildMeterData,
  buildNewAccount,
  buildNotificationList,
  buildOkResponse,
  buildPendingList,
  buildProperty,
  buildSharingResponse,
  buildTerminateSharingResponse,
  parseCustomFieldDefinition,
  parseCustomFieldList,
  parseDataExchangeSettings,
  parseMeter,
  parseMeterData,
  parseNotificationList,
  parsePendingList,
  parseResponse,
} from './index.ts';
import type { PendingList } from '../types.ts';

const office = {
  name: 'Bureau',
  primaryFunction: 'Office',
  address: {
    address1: '1 rue Sainte-Catherine',
    city: 'Montréal',
    postalCode: 'H2X 1Y4',
    state: 'QC',
    country: 'CA',
  },
  yearBuilt: '1990',
  constructionStatus: 'Existing',
  grossFloorArea: { units: 'Square Meters' as const, value: '1200' },
  occupancyPercentage: '100',
  isFederalProperty: false,
};
const gasMeter = {
  id: '157127890',
  type: 'Natural Gas',
  name: 'Gaz naturel1',
  metered: true,
  unitOfMeasure: 'cm (Cubic meters)',
  firstBillDate: '2021-01-01',
  inUse: true,
};
const guideFields = [
  { name: 'Numéro du compte', value: '11111111111' },
  { name: 'Numéro de facture', value: '333333333333' },
  { name: 'Numéro du compteur', value: '2222222' },
  { name: 'Chargement initial', value: '24' },
];
const pending: PendingList = {
  accounts: [
    {
      accountId: '87267',
      username: 'code201',
      customFields: [],
      accountInfo: {
        firstName: 'Marc-Etienne',
        lastName: 'Charron',
        email: 'mecharron@code201.ca',
        address: office.address,
        jobTitle: 'Gestionnaire',
        phone: '514-555-0100',
        organization: 'Code',
      },
    },
  ],
  properties: [],
  meters: [
    {
      meterId: '157127890',
      propertyId: '9244122',
      accountId: '87267',
      username: 'code201',
      customFields: guideFields,
      accessLevel: 'Read Write',
      propertyInfo: office,
      meterInfo: gasMeter,
    },
  ],
};

describe('ESPM documents', () => {
  it('reads back a pending list it built, keeping accents and leading zeros', () => {
    const withZeros = structuredClone(pending);
    withZeros.meters[0]!.customFields[0]!.value = '0011111111';
    const parsed = parsePendingList(buildPendingList(withZeros));
    assert.deepEqual(parsed.accounts, withZeros.accounts);
    assert.equal(parsed.meters[0]!.customFields[0]!.value, '0011111111');
    assert.equal(parsed.meters[0]!.customFields[0]!.name, 'Numéro du compte');
    assert.deepEqual(parsed.meters[0]!.meterInfo, gasMeter);
    assert.equal(parsed.nextPage, undefined);
  });

  it('reads one repeated element as a list of one, and follows the next page link', () => {
    const xml =
      '<pendingList><meter><meterId>1</meterId><propertyId>2</propertyId><accountId>3</accountId>' +
      '<customFieldList><customField name="Chargement initial">0</customField></customFieldList>' +
      '<accessLevel>Read</accessLevel><propertyInfo><isFederalProperty>false</isFederalProperty>' +
      '<occupancyPercentage>100</occupancyPercentage></propertyInfo></meter>' +
      '<links><link linkDescription="next page" link="/share/meter/pending/list?page=2" httpMethod="GET"/></links></pendingList>';
    const list = parsePendingList(xml);
    assert.equal(list.meters.length, 1);
    assert.equal(list.meters[0]!.username, undefined);
    assert.deepEqual(list.meters[0]!.customFields, [{ name: 'Chargement initial', value: '0' }]);
    assert.equal(list.nextPage, '/share/meter/pending/list?page=2');
  });

  it('does not depend on the order of children inside a meter (xs:all)', () => {
    const a = parseMeter(
      '<meter><unitOfMeasure>therms</unitOfMeasure><inUse>true</inUse><type>Natural Gas</type>' +
        '<firstBillDate>2020-01-01</firstBillDate><name>M</name><id>007</id></meter>',
    );
    assert.deepEqual(a, {
      id: '007',
      type: 'Natural Gas',
      name: 'M',
      unitOfMeasure: 'therms',
      firstBillDate: '2020-01-01',
      inUse: true,
    });
  });

  it('reads an empty pending list as no requests', () => {
    assert.deepEqual(parsePendingList('<pendingList/>'), { accounts: [], properties: [], meters: [] });
  });

  it('refuses DTDs and entities without expanding them', () => {
    const bomb =
      '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]><pendingList>&b;</pendingList>';
    assert.throws(() => parsePendingList(bomb), XmlDocumentError);
    const external =
      '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><response status="Ok">&x;</response>';
    assert.throws(() => parseResponse(external), /DOCTYPE/);
  });

  it('refuses malformed, unexpected and absurdly deep documents with a clear error', () => {
    assert.throws(() => parseResponse('<response status="Ok"><id>1</response>'), /malformed XML/);
    assert.throws(() => parseResponse('<meterData/>'), /expected a <response> document/);
    assert.throws(() => parseResponse('<html>Service Unavailable</html>'), XmlDocumentError);
    const deep = '<response status="Ok">' + '<a>'.repeat(100) + '</a>'.repeat(100) + '</response>';
    assert.throws(() => parseResponse(deep), /nested deeper/);
    assert.throws(
      () =>
        parseMeterData(
          '<meterData><meterConsumption><startDate>2024-01-01</startDate><endDate>2024-01-31</endDate><usage>12,5</usage></meterConsumption></meterData>',
        ),
      /not a decimal/,
    );
  });

  it('reads error envelopes with several errors', () => {
    const res = parseResponse(
      buildErrorResponse([
        { errorNumber: '-200', errorDescription: 'First' },
        { errorNumber: '-200', errorDescription: 'Second' },
      ]),
    );
    assert.equal(res.status, 'Error');
    assert.deepEqual(
      res.errors.map((e) => e.errorDescription),
      ['First', 'Second'],
    );
  });

  it('reads the created entry ids from a meterData answer', () => {
    const data = parseMeterData(
      buildMeterData(
        [],
        [
          { id: '9000101', link: '/consumptionData/9000101', httpMethod: 'GET' },
          { id: '9000102', link: '/consumptionData/9000102', httpMethod: 'GET' },
        ],
      ),
    );
    assert.deepEqual(
      data.links.map((l) => l.id),
      ['9000101', '9000102'],
    );
  });

  it('reads notifications, keeping unknown type codes', () => {
    const list = parseNotificationList(
      buildNotificationList([
        {
          notificationTypeCode: 'UNSHARE',
          notificationId: '555001',
          description: 'Meter unshared',
          username: 'code201',
          meterId: '157127890',
        },
        {
          notificationTypeCode: 'SOMETHINGNEW',
          notificationId: '555002',
          description: 'x',
          username: 'code201',
        },
      ]),
    );
    assert.equal(list.length, 2);
    assert.equal(list[1]!.notificationTypeCode, 'SOMETHINGNEW');
  });

  it('round-trips settings, custom field definitions and values', () => {
    const settings = {
      termsOfUse: { kind: 'text' as const, text: "Conditions d'utilisation / Terms of use" },
      supportedMeterTypes: ['Natural Gas'],
    };
    assert.deepEqual(parseDataExchangeSettings(buildDataExchangeSettings(settings)), settings);
    const def = {
      name: 'Numéro du compte',
      required: true,
      validCharacters: 'Numeric' as const,
      whenToPrompt: 'Meter' as const,
      minChars: 10,
      maxChars: 11,
      description: 'Sans espace / Without space',
    };
    assert.deepEqual(parseCustomFieldDefinition(buildCustomFieldDefinition(def)), def);
    assert.deepEqual(parseCustomFieldList(buildCustomFieldList(guideFields)), guideFields);
  });

  it('refuses a meterData document of more than 120 entries', () => {
    const entry = { startDate: '2024-01-01', endDate: '2024-01-31', usage: '1' };
    assert.throws(() => buildMeterData(Array(121).fill(entry)), RangeError);
  });
});

describe('documents the gateway and simulator build validate against ESPM v26 schemas', () => {
  const docs: Array<[string, string]> = [
    [
      'pendingList',
      buildPendingList(pending, [
        { link: '/share/meter/pending/list?page=2', linkDescription: 'next page', httpMethod: 'GET' },
      ]),
    ],
    [
      'sharingResponse',
      buildSharingResponse({ action: 'Accept', note: 'Partage accepté. / Share accepted.' }),
    ],
    ['terminateSharingResponse', buildTerminateSharingResponse('Fin / End')],
    ['terminateSharingResponse', buildTerminateSharingResponse()],
    [
      'meterData',
      buildMeterData([
        {
          startDate: '2021-04-16',
          endDate: '2021-05-16',
          usage: '251',
          estimatedValue: false,
          percentRenewableNaturalGas: '2.50',
          cost: '120.10',
        },
        { startDate: '2021-05-17', endDate: '2021-06-17', usage: '200' },
      ]),
    ],
    [
      'meterConsumption',
      buildMeterConsumption({
        startDate: '2021-04-16',
        endDate: '2021-05-16',
        usage: '251.125',
        estimatedValue: true,
      }),
    ],
    [
      'customField',
      buildCustomFieldDefinition({
        name: 'Chargement initial',
        required: true,
        validCharacters: 'Numeric',
        whenToPrompt: 'Meter',
        minChars: 1,
        maxChars: 2,
        displayOrder: 4,
        example: '24',
      }),
    ],
    ['customFieldList', buildCustomFieldList(guideFields)],
    [
      'dataExchangeSettings',
      buildDataExchangeSettings({
        termsOfUse: { kind: 'url', url: 'https://example.org/conditions' },
        supportedMeterTypes: ['Natural Gas'],
      }),
    ],
    [
      'dataExchangeSettings',
      buildDataExchangeSettings({ termsOfUse: { kind: 'none' }, supportedMeterTypes: [] }),
    ],
    [
      'response',
      buildOkResponse({
        id: '378524',
        links: [
          { link: '/account', httpMethod: 'GET', linkDescription: 'This is the GET url for this Account.' },
        ],
      }),
    ],
    ['response', buildErrorResponse([{ errorNumber: '-200', errorDescription: 'Access Denied' }])],
    [
      'notificationList',
      buildNotificationList([
        {
          notificationTypeCode: 'DISCONNECT',
          notificationId: '1',
          description: 'You are disconnected from Jane Doe',
          username: 'jdoe',
          accountId: '12',
          notificationCreatedDate: '2025-03-04T10:11:12.000-05:00',
        },
      ]),
    ],
    ['meter', buildMeter(gasMeter)],
    ['property', buildProperty(office)],
    [
      'account',
      buildNewAccount({
        username: 'code201',
        password: 'secret-pass',
        contact: {
          firstName: 'Marc',
          lastName: 'Charron',
          email: 'm@example.org',
          address: office.address,
          jobTitle: 'Gestionnaire',
          phone: '514-555-0100',
        },
        organization: 'Code',
        webserviceUser: false,
        searchable: false,
        languagePreference: 'fr_CA',
      }),
    ],
  ];
  for (const [root, xml] of docs) {
    it(`<${root}> is valid`, async () => {
      const result = await validateAgainstXsd(xml, root);
      assert.deepEqual(result.errors, []);
    });
  }
});

describe('a lone <meterConsumption> document', () => {
  it('reads as one entry (GET and PUT /consumptionData/{id})', async () => {
    const { parseMeterConsumption } = await import('./meter-data.ts');
    const entry = parseMeterConsumption(
      buildMeterConsumption({
        id: '9000101',
        startDate: '2021-04-16',
        endDate: '2021-05-16',
        usage: '251',
        estimatedValue: false,
      }),
    );
    assert.deepEqual(entry, {
      id: '9000101',
      startDate: '2021-04-16',
      endDate: '2021-05-16',
      usage: '251',
      estimatedValue: false,
    });
  });
});

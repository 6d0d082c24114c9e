// Every shape of document EPA's published examples show for what the gateway reads, and the shape of
// every body the client builds. The fixtures are written here after the examples in
// shared/espm/samples/ (their layout, attribute order, missing elements and odd casing; other values).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { validateAgainstXsd } from '../xsd/validate.ts';
import { XmlDocumentError, parseDocument } from './codec.ts';
import { nextPageOf, parseLinks, resourceLinks } from './common.ts';
import { buildCustomFieldDefinition } from './custom-field.ts';
import { buildDataExchangeSettings } from './data-exchange-settings.ts';
import { buildMeterConsumption, buildMeterData, parseMeterData } from './meter-data.ts';
import { parseNotificationList } from './notification-list.ts';
import { parsePendingList } from './pending-list.ts';
import { parseResponse } from './response.ts';
import { buildSharingResponse, buildTerminateSharingResponse } from './sharing-response.ts';

const AUDIT = `<createdBy>someone</createdBy><createdByAccountId>4711</createdByAccountId>
<createdDate>2015-03-02T10:11:12.000-05:00</createdDate><lastUpdatedBy>someone</lastUpdatedBy>
<lastUpdatedByAccountId>4711</lastUpdatedByAccountId><lastUpdatedDate>2015-03-02T15:11:12.000-05:00</lastUpdatedDate>`;

const PROPERTY_INFO = `<propertyInfo>
<name>École Laval</name>
<address address1="10 rue Principale" city="Laval" state="QC"
postalCode="H7N 1A1" country="CA"/>
<numberOfBuildings>2</numberOfBuildings>
<constructionStatus>Test</constructionStatus>
<primaryFunction>K-12 School</primaryFunction>
<yearBuilt>1998</yearBuilt>
<grossFloorArea units="Square Feet" temporary="false" default="N/A">
<value>12000</value>
</grossFloorArea>
<occupancyPercentage>75</occupancyPercentage>
<isFederalProperty>false</isFederalProperty>
<audit>${AUDIT}</audit>
</propertyInfo>`;

// Testing guide, sample XML 17: no declaration, username, address on two lines, the next-page link's
// attributes in another order.
const CONNECTIONS_2024 = `<pendingList>
<account>
<accountId>90210</accountId>
<username>MarieTestAccount</username>
<customFieldList>
<customField name="Username">Oui</customField>
</customFieldList>
<accountInfo>
<address address1="1 avenue du Parc" city="Montréal" state="QC"
postalCode="H2X 1Y4" country="CA"/>
<email>marie@example.com</email>
<firstName>Marie</firstName>
<phone>514-555-0101</phone>
<lastName>Tremblay</lastName>
<jobTitle>Gestionnaire</jobTitle>
<organization>Immeubles Tremblay</organization>
</accountInfo>
<connectionAudit>${AUDIT}</connectionAudit>
</account>
<links>
<link linkDescription="next page" link="/connect/account/pending/list?page=2" httpMethod="GET"/>
</links>
</pendingList>`;

// 2014 documentation: no username, two accounts, indentation.
const CONNECTIONS_2014 = `<pendingList>
    <account>
        <accountId>55501</accountId>
        <customFieldList>
            <customField name="Customer Number">A1</customField>
            <customField name="Group Code">G1</customField>
        </customFieldList>
        <accountInfo>
            <firstName>Paul</firstName>
            <lastName>Roy</lastName>
            <address address1="2 rue Sud" city="Québec"
                     state="QC" postalCode="G1A 1A1" country="CA"/>
            <email>paul@example.com</email>
            <organization>Roy inc.</organization>
            <jobTitle>Propriétaire</jobTitle>
            <phone>418-555-0102</phone>
        </accountInfo>
        <connectionAudit>${AUDIT}</connectionAudit>
    </account>
    <account>
        <accountId>55502</accountId>
        <accountInfo>
            <firstName>Lise</firstName>
            <lastName>Roy</lastName>
            <address address1="3 rue Nord" city="Québec" postalCode="G1A 1A2" state="QC" country="CA"/>
            <email>lise@example.com</email>
            <organization>Roy inc.</organization>
            <jobTitle>Gestionnaire</jobTitle>
            <phone>418-555-0103</phone>
        </accountInfo>
    </account>
</pendingList>`;

// Testing guide, sample XML 21 (with username) and the 2014 example (without).
const PROPERTIES = (username: string) => `<pendingList>
<property>
<propertyId>7300001</propertyId>
<customFieldList>
<customField name="Lot Number">LX-12</customField>
</customFieldList>
<accessLevel>Read Write</accessLevel>
<accountId>90210</accountId>
${username}
${PROPERTY_INFO}
<shareAudit>${AUDIT}</shareAudit>
</property>
</pendingList>`;

// 2014 example: no username, meterInfo's type and unit after its audit.
const METERS_2014 = `<pendingList>
    <meter>
        <meterId>8800001</meterId>
        <propertyId>7300001</propertyId>
        <accountId>90210</accountId>
        <customFieldList>
            <customField name="Meter Number">007</customField>
        </customFieldList>
        <accessLevel>Read Write</accessLevel>
        ${PROPERTY_INFO}
        <meterInfo>
            <name>Gaz principal</name>
            <metered>true</metered>
            <firstBillDate>2019-01-01</firstBillDate>
            <inUse>true</inUse>
            <audit>${AUDIT}</audit>
            <type>Natural Gas</type>
            <unitOfMeasure>cm (Cubic meters)</unitOfMeasure>
        </meterInfo>
        <shareAudit>${AUDIT}</shareAudit>
    </meter>
    <links>
        <link linkDescription="next page" link="/share/meter/pending/list?page=2" httpMethod="GET"/>
    </links>
</pendingList>`;

// Current documentation: username, meterInfo in yet another order.
const METERS_2024 = `<pendingList><meter><meterId>8800002</meterId><propertyId>7300001</propertyId>
<accountId>90210</accountId><username>MarieTestAccount</username><accessLevel>Read</accessLevel>
${PROPERTY_INFO}<meterInfo><unitOfMeasure>GJ</unitOfMeasure><inUse>true</inUse><type>Natural Gas</type>
<firstBillDate>2020-05-01</firstBillDate><name>Gaz 2</name><metered>true</metered></meterInfo></meter></pendingList>`;

// Connection guide, Appendix B.
const SHAREUPDATE = `<notificationList>
<notification>
<notificationTypeCode>SHAREUPDATE</notificationTypeCode>
<notificationId>424242</notificationId>
<description>Gaz principal - Access level revised to Read Only by Customer Marie.</description>
<accountId>90210</accountId>
<username>MarieTestAccount</username>
<propertyId>7300001</propertyId>
<meterId>8800001</meterId>
<notificationCreatedDate>2021-02-03T04:05:06-05:00</notificationCreatedDate>
<notificationCreatedBy>MarieTestAccount</notificationCreatedBy>
<notificationCreatedByAccountId>90210</notificationCreatedByAccountId>
</notification>
</notificationList>`;

// Custom-field list: no id on the links, the name in hint, the id only in the path.
const CUSTOM_FIELD_LIST = `<?xml version="1.0" encoding="UTF-8"?>
<response status="Ok">
     <links>
          <link hint="Numéro du compteur" httpMethod="GET" link="/dataExchangeSettings/customField/12" linkDescription="This is the GET url for this custom ID."/>
          <link hint="Numéro du compte" httpMethod="GET" link="/dataExchangeSettings/customField/7" linkDescription="This is the GET url for this custom ID."/>
     </links>
</response>`;

const CUSTOM_FIELD_POST_ANSWER = `<?xml version="1.0" encoding="UTF-8"?>
<response status="Ok">
    <id>91</id>
    <links>
        <link httpMethod="GET" link="/dataExchangeSettings/customField/91" linkDescription="This is the GET url for this custom field."/>
    </links>
</response>`;

// Customer list: ids on the links, one without hint; meter list: none, names in hint.
const CUSTOMER_LIST = `<response status="Ok">
  <links>
    <link id="3001" hint="Marie" httpMethod="GET" link="/customer/3001" linkDescription="This is the GET url for this Customer."/>
    <link id="3002" httpMethod="GET" link="/customer/3002" linkDescription="This is the GET url for this Customer."/>
  </links>
</response>`;

const METER_LIST = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<response status="Ok">
  <links>
    <link httpMethod="GET" link="/meter/8800001" linkDescription="This is the GET url for this Meter." hint="Gaz principal"/>
    <link httpMethod="GET" link="/meter/8800002" linkDescription="This is the GET url for this Meter." hint="Gaz 2"/>
  </links>
</response>`;

// What-changed lists mix paging links among the resources.
const WHAT_CHANGED = `<response status="Ok">
  <links>
    <link id="8800001" httpMethod="GET" link="/meter/8800001" linkDescription="This is the GET url for this Meter." hint="Gaz"/>
    <link httpMethod="GET" link="/customer/3001/meter/whatChanged?nextPageKey=9&amp;date=2021-01-31" linkDescription="next page"/>
    <link httpMethod="GET" link="/customer/3001/meter/whatChanged?previousPageKey=1&amp;date=2021-01-31" linkDescription="previous page"/>
  </links>
</response>`;

// GET consumption: one line, stray spaces, audit before the dates, consecutive entries sharing a day,
// a lowercase httpMethod on the next-page link.
const CONSUMPTION_PAGE = `<?xml version="1.0" encoding="UTF-8"?><meterData> <meterConsumption estimatedValue="false">  <id>-31</id><audit>  ${AUDIT}</audit><startDate>2020-02-09</startDate><endDate>2020-03-10</endDate><usage>1520</usage></meterConsumption><meterConsumption estimatedValue="true"><id>-30</id><audit>${AUDIT} </audit><startDate>2020-01-10</startDate><endDate>2020-02-09</endDate><usage>0012.50</usage></meterConsumption><links><link httpMethod="get" link="/meter/8800001/consumptionData?page=2" linkDescription="next page"/></links></meterData>`;

describe('documents in the shapes of EPA’s examples', () => {
  it('reads a pending connection list of 2024 (username, next page) and of 2014 (no username, several)', () => {
    const now = parsePendingList(CONNECTIONS_2024);
    assert.equal(now.accounts.length, 1);
    assert.deepEqual(
      [now.accounts[0]!.accountId, now.accounts[0]!.username, now.accounts[0]!.accountInfo.lastName],
      ['90210', 'MarieTestAccount', 'Tremblay'],
    );
    assert.equal(now.accounts[0]!.accountInfo.address.postalCode, 'H2X 1Y4');
    assert.deepEqual(now.accounts[0]!.customFields, [{ name: 'Username', value: 'Oui' }]);
    assert.equal(now.nextPage, '/connect/account/pending/list?page=2');
    const then = parsePendingList(CONNECTIONS_2014);
    assert.deepEqual(
      then.accounts.map((a) => [a.accountId, a.username, a.customFields.length]),
      [
        ['55501', '', 2],
        ['55502', '', 0],
      ],
    );
    assert.equal(then.nextPage, undefined);
  });

  it('reads a pending property list with and without username', () => {
    for (const [username, expected] of [
      ['<username>MarieTestAccount</username>', 'MarieTestAccount'],
      ['', ''],
    ] as const) {
      const [p] = parsePendingList(PROPERTIES(username)).properties;
      assert.deepEqual(
        [p!.propertyId, p!.accountId, p!.username, p!.accessLevel, p!.propertyInfo.name],
        ['7300001', '90210', expected, 'Read Write', 'École Laval'],
      );
      assert.equal(p!.propertyInfo.grossFloorArea?.value, '12000');
      assert.equal(p!.shareAudit?.createdByAccountId, '4711');
    }
  });

  it('reads pending meter lists of 2014 (no username) and 2024, whatever the order inside meterInfo', () => {
    const then = parsePendingList(METERS_2014);
    const [old] = then.meters;
    assert.equal(old!.username, undefined);
    assert.deepEqual(
      [old!.meterId, old!.meterInfo?.type, old!.meterInfo?.unitOfMeasure, old!.meterInfo?.firstBillDate],
      ['8800001', 'Natural Gas', 'cm (Cubic meters)', '2019-01-01'],
    );
    assert.equal(old!.customFields[0]!.value, '007');
    assert.equal(then.nextPage, '/share/meter/pending/list?page=2');
    const [now] = parsePendingList(METERS_2024).meters;
    assert.deepEqual(
      [now!.username, now!.accessLevel, now!.meterInfo?.name, now!.meterInfo?.unitOfMeasure],
      ['MarieTestAccount', 'Read', 'Gaz 2', 'GJ'],
    );
  });

  it('reads a SHAREUPDATE notification as EPA shows it', () => {
    assert.deepEqual(parseNotificationList(SHAREUPDATE), [
      {
        notificationTypeCode: 'SHAREUPDATE',
        notificationId: '424242',
        description: 'Gaz principal - Access level revised to Read Only by Customer Marie.',
        accountId: '90210',
        username: 'MarieTestAccount',
        propertyId: '7300001',
        meterId: '8800001',
        notificationCreatedDate: '2021-02-03T04:05:06-05:00',
        notificationCreatedBy: 'MarieTestAccount',
        notificationCreatedByAccountId: '90210',
      },
    ]);
  });

  it('finds ids wherever EPA puts them: in id, in <id>, or only in the link path', () => {
    const ids = (xml: string) =>
      resourceLinks(parseLinks(parseDocument(xml, 'response')), 'a list').map((l) => [l.id, l.hint]);
    assert.deepEqual(ids(CUSTOM_FIELD_LIST), [
      ['12', 'Numéro du compteur'],
      ['7', 'Numéro du compte'],
    ]);
    assert.deepEqual(ids(CUSTOMER_LIST), [
      ['3001', 'Marie'],
      ['3002', undefined],
    ]);
    assert.deepEqual(ids(METER_LIST), [
      ['8800001', 'Gaz principal'],
      ['8800002', 'Gaz 2'],
    ]);
    assert.deepEqual(ids(WHAT_CHANGED), [['8800001', 'Gaz']], 'paging links are not resources');
    const answer = parseResponse(CUSTOM_FIELD_POST_ANSWER);
    assert.equal(answer.id, '91');
    assert.deepEqual(
      resourceLinks(answer.links, 'an answer').map((l) => l.id),
      ['91'],
    );
  });

  it('names the document when a link carries no id at all', () => {
    const bad = `<response status="Ok"><links><link httpMethod="GET" link="/dataExchangeSettings/customField/" hint="X"/></links></response>`;
    assert.throws(
      () => resourceLinks(parseLinks(parseDocument(bad, 'response')), 'the custom field list'),
      (e: unknown) => e instanceof XmlDocumentError && /the custom field list/.test(e.message),
    );
  });

  it('reads a consumption page with consecutive entries sharing a day and a lowercase next-page link', () => {
    const page = parseMeterData(CONSUMPTION_PAGE);
    assert.deepEqual(
      page.entries.map((e) => [e.id, e.startDate, e.endDate, e.usage, e.estimatedValue]),
      [
        ['-31', '2020-02-09', '2020-03-10', '1520', false],
        ['-30', '2020-01-10', '2020-02-09', '0012.50', true],
      ],
    );
    assert.equal(page.entries[0]!.audit?.createdBy, 'someone');
    assert.equal(nextPageOf(page.links), '/meter/8800001/consumptionData?page=2');
  });

  it('reads both error numbers of EPA’s error page, and a bare Ok', () => {
    const envelope = (n: string) =>
      `<?xml version="1.0" encoding="UTF-8"?><response status="Error"><errors><error errorNumber="${n}" errorDescription="x"/></errors></response>`;
    assert.equal(parseResponse(envelope('-100')).errors[0]!.errorNumber, '-100');
    assert.equal(parseResponse(envelope('-200')).errors[0]!.errorNumber, '-200');
    const ok = parseResponse('<?xml version="1.0" encoding="UTF-8"?>\n<response status="Ok"/>');
    assert.deepEqual([ok.status, ok.links, ok.errors], ['Ok', [], []]);
  });
});

// --- The bodies the client builds, against the XSD and against the shape of EPA's matching example.

const shapeParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  ignoreDeclaration: true,
});

/** Element paths and attribute names, without values or order: what "the same shape" means here. */
function shape(xml: string): string[] {
  const out = new Set<string>();
  const walk = (node: unknown, path: string): void => {
    if (node === null || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      if (k === '#text') continue;
      const p = `${path}/${k}`;
      out.add(p);
      for (const item of Array.isArray(v) ? v : [v]) walk(item, p);
    }
  };
  walk(shapeParser.parse(xml), '');
  return [...out].sort();
}

const EPA_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

// Written after EPA's request examples (customField POST/PUT, consumptionData POST/PUT, shareMeter
// accept/reject, testing guide XML 1, 11 and 15).
const EPA_REQUESTS: Array<{ what: string; root: string; epa: string; ours: string }> = [
  {
    what: 'a custom field (POST and PUT)',
    root: 'customField',
    epa: `<customField validCharacters="Numeric" required="true" name="N" whenToPrompt="Meter"><description>d</description><example>1</example><url>http://x</url><minChars>1</minChars><maxChars>2</maxChars><displayOrder>1</displayOrder></customField>`,
    ours: buildCustomFieldDefinition({
      name: 'Chargement initial',
      required: true,
      validCharacters: 'Numeric',
      whenToPrompt: 'Meter',
      description: 'Mois / Months',
      example: '24',
      url: 'https://example.com/aide',
      minChars: 1,
      maxChars: 2,
      displayOrder: 4,
    }),
  },
  {
    what: 'consumption entries (POST)',
    root: 'meterData',
    epa: `<meterData><meterConsumption estimatedValue="true"><cost>1</cost><startDate>2018-12-01</startDate><endDate>2018-12-31</endDate><usage>1</usage></meterConsumption><meterConsumption estimatedValue="false"><cost>1</cost><startDate>2018-11-01</startDate><endDate>2018-11-30</endDate><usage>1</usage></meterConsumption></meterData>`,
    ours: buildMeterData([
      { startDate: '2023-01-01', endDate: '2023-01-31', usage: '10.5', cost: '4.20', estimatedValue: true },
      { startDate: '2023-01-31', endDate: '2023-02-28', usage: '9', cost: '3.10', estimatedValue: false },
    ]),
  },
  {
    what: 'one consumption entry (PUT)',
    root: 'meterConsumption',
    epa: `<meterConsumption estimatedValue="false"><usage>1</usage><startDate>2010-03-15</startDate><endDate>2010-04-14</endDate><cost>2</cost></meterConsumption>`,
    ours: buildMeterConsumption({
      startDate: '2023-01-01',
      endDate: '2023-01-31',
      usage: '10',
      cost: '4',
      estimatedValue: false,
    }),
  },
  {
    what: 'an answer to a request (accept or reject)',
    root: 'sharingResponse',
    epa: `<sharingResponse><action>Accept</action><note>n</note></sharingResponse>`,
    ours: buildSharingResponse({ action: 'Reject', note: 'Refusé / Rejected' }),
  },
  {
    what: 'an end of sharing',
    root: 'terminateSharingResponse',
    epa: `<terminateSharingResponse><note>n</note></terminateSharingResponse>`,
    ours: buildTerminateSharingResponse('Fin / End'),
  },
  {
    what: 'the data exchange settings',
    root: 'dataExchangeSettings',
    epa: `<dataExchangeSettings><termsOfUse><text>t</text></termsOfUse><supportedMeterTypes><meterType>Electric</meterType><meterType>Natural Gas</meterType></supportedMeterTypes></dataExchangeSettings>`,
    ours: buildDataExchangeSettings({
      termsOfUse: { kind: 'text', text: 'Conditions / Terms' },
      supportedMeterTypes: ['Natural Gas'],
    }),
  },
];

describe('bodies the client sends, as EPA’s examples write them', () => {
  for (const { what, root, epa, ours } of EPA_REQUESTS) {
    it(`${what}: valid against the XSD, with EPA's declaration and shape`, async () => {
      const result = await validateAgainstXsd(ours, root);
      assert.ok(result.valid, result.errors.join('; '));
      assert.ok(ours.startsWith(EPA_DECLARATION), ours.slice(0, 60));
      assert.deepEqual(shape(ours), shape(epa));
    });
  }
});

// Validates documents against ESPM's own v26 schemas (a copy ships in packages/espm/xsd-26.0).
// xmllint-wasm costs ~150 ms a call, so this serves tests, the simulator's request checks and diagnostics.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateXML } from 'xmllint-wasm';

const XSD_ROOT = fileURLToPath(new URL('../../xsd-26.0/', import.meta.url));

/** Which schema file declares each root element the data exchange uses. */
export const SCHEMA_OF_ROOT: Record<string, string> = {
  pendingList: 'authorization/authorization.xsd',
  notificationList: 'authorization/authorization.xsd',
  sharingResponse: 'authorization/authorization.xsd',
  terminateSharingResponse: 'authorization/authorization.xsd',
  meterData: 'meter/meterConsumptionData.xsd',
  meterConsumption: 'meter/meterConsumptionData.xsd',
  meter: 'meter/meter.xsd',
  property: 'property/property.xsd',
  response: 'response/response.xsd',
  customField: 'common/customField.xsd',
  customFieldList: 'common/customField.xsd',
  dataExchangeSettings: 'account/dataExchangeSettings.xsd',
  customer: 'account/customer.xsd',
  account: 'account/account.xsd',
};

interface SchemaFile {
  fileName: string;
  contents: string;
}

let files: SchemaFile[] | undefined;

function schemaFiles(): SchemaFile[] {
  if (!files) {
    files = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.xsd')) {
          files!.push({ fileName: relative(XSD_ROOT, path), contents: readFileSync(path, 'utf8') });
        }
      }
    };
    walk(XSD_ROOT);
  }
  return files;
}

export interface XsdResult {
  valid: boolean;
  errors: string[];
}

/** Validates one document against the schema that declares its root element. */
export async function validateAgainstXsd(xml: string, root: string): Promise<XsdResult> {
  const schemaName = SCHEMA_OF_ROOT[root];
  if (!schemaName) throw new Error(`no ESPM schema is known for <${root}>`);
  const all = schemaFiles();
  const main = all.find((f) => f.fileName === schemaName)!;
  const result = await validateXML({
    xml: [{ fileName: 'document.xml', contents: xml }],
    schema: [main],
    preload: all.filter((f) => f !== main),
  });
  return { valid: result.valid, errors: result.errors.map((e) => e.message) };
}

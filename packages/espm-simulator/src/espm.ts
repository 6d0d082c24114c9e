// The ESPM package's types, enums, codecs and XSD check, imported by path rather than through the
// package's root export: that root also loads the HTTP client, which the simulator never needs.
export type * from '../../espm/src/types.ts';
export { ACCESS_LEVELS } from '../../espm/src/types.ts';
export * from '../../espm/src/enums.ts';
export * from '../../espm/src/sample-customer.ts';
export * from '../../espm/src/xml/index.ts';
export { validateAgainstXsd, SCHEMA_OF_ROOT } from '../../espm/src/xsd/validate.ts';

// The customer guide's own example as the demo's first account, so that a visitor can follow the guide
// with the numbers it prints: account 11111111111, meter 2222222, invoice 333333333333.
export const GUIDE_ACCOUNT = {
  accountNumber: '11111111111',
  meterNumber: '2222222',
  invoiceNumber: '333333333333',
} as const;

/** The m³ of the guide's table ("Aperçu des données dans la passerelle"), oldest first. */
export const GUIDE_VOLUMES_M3: readonly number[] = [
  251, 200, 246, 271, 279, 299, 294, 268, 259, 289, 288, 205, 248, 294, 269, 261, 230, 296, 260, 230, 293,
  231, 273,
];

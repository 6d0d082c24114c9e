// The customer of the guide's examples, as the simulator's customers and the rehearsal's test account
// create it in ESPM: an office in Montréal with one Natural Gas meter read in cubic metres.
import { NATURAL_GAS } from './enums.ts';
import type { Address, Meter, PropertyInfo } from './types.ts';

export const SAMPLE_ADDRESS: Address = {
  address1: '1000 rue Sherbrooke Ouest',
  city: 'Montréal',
  state: 'QC',
  postalCode: 'H3A 3G4',
  country: 'CA',
};

/** ESPM's name of cubic metres for a Natural Gas meter, the guide's unit. */
export const CUBIC_METRES = 'cm (Cubic meters)';

export interface SampleBuilding {
  primaryFunction?: string;
  squareMeters?: string;
  yearBuilt?: string;
}

/** An existing single building, fully occupied: what ESPM asks of a new property. */
export function sampleProperty(name: string, address: Address, building: SampleBuilding = {}): PropertyInfo {
  return {
    name,
    primaryFunction: building.primaryFunction ?? 'Office',
    constructionStatus: 'Existing',
    grossFloorArea: { units: 'Square Meters', value: building.squareMeters ?? '1000' },
    yearBuilt: building.yearBuilt ?? '1990',
    address,
    numberOfBuildings: '1',
    isFederalProperty: false,
    occupancyPercentage: '100',
  };
}

export function gasMeter(name: string, firstBillDate: string): Meter {
  return { type: NATURAL_GAS, name, metered: true, unitOfMeasure: CUBIC_METRES, firstBillDate, inUse: true };
}

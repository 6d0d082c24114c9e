// Enumerations from ESPM's v26 schemas (meter/meter.xsd), spelled exactly as on the wire.

export const UNITS_OF_MEASURE = [
  'ccf (hundred cubic feet)',
  'cf (cubic feet)',
  'cGal (hundred gallons) (UK)',
  'cGal (hundred gallons) (US)',
  'Cubic Meters per Day',
  'cm (Cubic meters)',
  'Cords',
  'eKWh (Equivalent Kilowatt hour)',
  'Gallons (UK)',
  'Gallons (US)',
  'GJ',
  'kBtu (thousand Btu)',
  'kcf (thousand cubic feet)',
  'Kcm (Thousand Cubic meters)',
  'KGal (thousand gallons) (UK)',
  'KGal (thousand gallons) (US)',
  'Kilogram',
  'KLbs. (thousand pounds)',
  'kWh (thousand Watt-hours)',
  'Liters',
  'MBtu (million Btu)',
  'MCF(million cubic feet)',
  'mg/l (milligrams per liter)',
  'MGal (million gallons) (UK)',
  'MGal (million gallons) (US)',
  'Million Gallons per Day',
  'MLbs. (million pounds)',
  'MWh (million Watt-hours)',
  'pounds',
  'Pounds per year',
  'therms',
  'ton hours',
  'Tonnes (metric)',
  'tons',
] as const;
export type UnitOfMeasure = (typeof UNITS_OF_MEASURE)[number];

export const NATURAL_GAS = 'Natural Gas';

/** The units ESPM accepts on a Natural Gas meter. */
export const NATURAL_GAS_UNITS = [
  'cf (cubic feet)',
  'ccf (hundred cubic feet)',
  'kcf (thousand cubic feet)',
  'MCF(million cubic feet)',
  'cm (Cubic meters)',
  'therms',
  'GJ',
  'kBtu (thousand Btu)',
  'MBtu (million Btu)',
] as const satisfies readonly UnitOfMeasure[];
export type NaturalGasUnit = (typeof NATURAL_GAS_UNITS)[number];

export function isNaturalGasUnit(unit: string): unit is NaturalGasUnit {
  return (NATURAL_GAS_UNITS as readonly string[]).includes(unit);
}

/** The energy and water meter types (typeOfMeter); waste meters are another enumeration. */
export const METER_TYPES = [
  'Coal Anthracite',
  'Coal Bituminous',
  'Coke',
  'Diesel',
  'District Chilled Water - Absorption Chiller using Natural Gas',
  'District Chilled Water - Electric-Driven Chiller',
  'District Chilled Water - Engine-Driven Chiller using Natural Gas',
  'District Chilled Water - Other',
  'District Hot Water',
  'District Steam',
  'Electric',
  'Electric on Site Solar',
  'Electric on Site Wind',
  'Fuel Oil No 1',
  'Fuel Oil No 2',
  'Fuel Oil No 4',
  'Fuel Oil No 5 or 6',
  'Kerosene',
  'Natural Gas',
  'Other (Energy)',
  'Propane',
  'Wood',
  'IT Equipment Input Energy (meters on each piece of equipment)',
  'Power Distribution Unit (PDU) Input Energy',
  'Power Distribution Unit (PDU) Output Energy',
  'Uninterruptible Power Supply (UPS) Output Energy',
  'Municipally Supplied Potable Water - Mixed Indoor/Outdoor',
  'Municipally Supplied Potable Water - Indoor',
  'Municipally Supplied Potable Water - Outdoor',
  'Municipally Supplied Reclaimed Water - Mixed Indoor/Outdoor',
  'Municipally Supplied Reclaimed Water - Indoor',
  'Municipally Supplied Reclaimed Water - Outdoor',
  'Other - Mixed Indoor/Outdoor (Water)',
  'Other - Outdoor',
  'Other - Indoor',
  'Average Influent Flow',
  'Well Water - Mixed Indoor/Outdoor',
  'Well Water - Indoor',
  'Well Water - Outdoor',
] as const;

/** Notification type codes ESPM is known to send; others are kept as they come. */
export const NOTIFICATION_TYPE_CODES = ['UNSHARE', 'SHAREUPDATE', 'DISCONNECT', 'TRANSFERPROPERTY'] as const;

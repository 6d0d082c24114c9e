// ESPM's own values (meter types, units of measure, access levels) in the operator's language. ESPM sends
// them in English, spelled as in its schemas; English pages show them as sent, French pages in French
// (the names Portfolio Manager's Canadian French interface uses where it has one). Typed by ESPM's
// enumerations: a value missing here fails the type check; a value ESPM adds later shows as sent.
import type { AccessLevel, METER_TYPES, UnitOfMeasure } from '@gaz-espm/espm';
import type { Lang } from './index.ts';

type MeterType = (typeof METER_TYPES)[number];

const METER_TYPE_FR: Record<MeterType, string> = {
  'Coal Anthracite': 'Charbon anthracite',
  'Coal Bituminous': 'Charbon bitumineux',
  Coke: 'Coke',
  Diesel: 'Diesel',
  'District Chilled Water - Absorption Chiller using Natural Gas':
    'Eau refroidie d’un réseau urbain – refroidisseur à absorption au gaz naturel',
  'District Chilled Water - Electric-Driven Chiller':
    'Eau refroidie d’un réseau urbain – refroidisseur électrique',
  'District Chilled Water - Engine-Driven Chiller using Natural Gas':
    'Eau refroidie d’un réseau urbain – refroidisseur à moteur au gaz naturel',
  'District Chilled Water - Other': 'Eau refroidie d’un réseau urbain – autre',
  'District Hot Water': 'Eau chaude d’un réseau urbain',
  'District Steam': 'Vapeur d’un réseau urbain',
  Electric: 'Électricité',
  'Electric on Site Solar': 'Électricité solaire produite sur place',
  'Electric on Site Wind': 'Électricité éolienne produite sur place',
  'Fuel Oil No 1': 'Mazout no 1',
  'Fuel Oil No 2': 'Mazout no 2',
  'Fuel Oil No 4': 'Mazout no 4',
  'Fuel Oil No 5 or 6': 'Mazout no 5 ou 6',
  Kerosene: 'Kérosène',
  'Natural Gas': 'Gaz naturel',
  'Other (Energy)': 'Autre (énergie)',
  Propane: 'Propane',
  Wood: 'Bois',
  'IT Equipment Input Energy (meters on each piece of equipment)':
    'Énergie consommée par l’équipement informatique (compteur par appareil)',
  'Power Distribution Unit (PDU) Input Energy': 'Énergie à l’entrée des unités de distribution (PDU)',
  'Power Distribution Unit (PDU) Output Energy': 'Énergie à la sortie des unités de distribution (PDU)',
  'Uninterruptible Power Supply (UPS) Output Energy':
    'Énergie à la sortie des alimentations sans coupure (ASC)',
  'Municipally Supplied Potable Water - Mixed Indoor/Outdoor':
    'Eau potable municipale – intérieur et extérieur',
  'Municipally Supplied Potable Water - Indoor': 'Eau potable municipale – intérieur',
  'Municipally Supplied Potable Water - Outdoor': 'Eau potable municipale – extérieur',
  'Municipally Supplied Reclaimed Water - Mixed Indoor/Outdoor':
    'Eau recyclée municipale – intérieur et extérieur',
  'Municipally Supplied Reclaimed Water - Indoor': 'Eau recyclée municipale – intérieur',
  'Municipally Supplied Reclaimed Water - Outdoor': 'Eau recyclée municipale – extérieur',
  'Other - Mixed Indoor/Outdoor (Water)': 'Autre – intérieur et extérieur (eau)',
  'Other - Outdoor': 'Autre – extérieur',
  'Other - Indoor': 'Autre – intérieur',
  'Average Influent Flow': 'Débit moyen d’affluent',
  'Well Water - Mixed Indoor/Outdoor': 'Eau de puits – intérieur et extérieur',
  'Well Water - Indoor': 'Eau de puits – intérieur',
  'Well Water - Outdoor': 'Eau de puits – extérieur',
};

const UNIT_FR: Record<UnitOfMeasure, string> = {
  'ccf (hundred cubic feet)': 'ccf (centaines de pieds cubes)',
  'cf (cubic feet)': 'pi³ (pieds cubes)',
  'cGal (hundred gallons) (UK)': 'cGal (centaines de gallons impériaux)',
  'cGal (hundred gallons) (US)': 'cGal (centaines de gallons américains)',
  'Cubic Meters per Day': 'Mètres cubes par jour',
  'cm (Cubic meters)': 'm³ (mètres cubes)',
  Cords: 'Cordes',
  'eKWh (Equivalent Kilowatt hour)': 'kWhé (kilowattheures équivalents)',
  'Gallons (UK)': 'Gallons impériaux',
  'Gallons (US)': 'Gallons américains',
  GJ: 'GJ (gigajoules)',
  'kBtu (thousand Btu)': 'kBtu (milliers de Btu)',
  'kcf (thousand cubic feet)': 'kpi³ (milliers de pieds cubes)',
  'Kcm (Thousand Cubic meters)': 'km³ (milliers de mètres cubes)',
  'KGal (thousand gallons) (UK)': 'kGal (milliers de gallons impériaux)',
  'KGal (thousand gallons) (US)': 'kGal (milliers de gallons américains)',
  Kilogram: 'Kilogrammes',
  'KLbs. (thousand pounds)': 'klb (milliers de livres)',
  'kWh (thousand Watt-hours)': 'kWh (kilowattheures)',
  Liters: 'Litres',
  'MBtu (million Btu)': 'MBtu (millions de Btu)',
  'MCF(million cubic feet)': 'Mpi³ (millions de pieds cubes)',
  'mg/l (milligrams per liter)': 'mg/l (milligrammes par litre)',
  'MGal (million gallons) (UK)': 'MGal (millions de gallons impériaux)',
  'MGal (million gallons) (US)': 'MGal (millions de gallons américains)',
  'Million Gallons per Day': 'Millions de gallons par jour',
  'MLbs. (million pounds)': 'Mlb (millions de livres)',
  'MWh (million Watt-hours)': 'MWh (mégawattheures)',
  pounds: 'Livres',
  'Pounds per year': 'Livres par année',
  therms: 'Thermies',
  'ton hours': 'Tonnes-heures',
  'Tonnes (metric)': 'Tonnes métriques',
  tons: 'Tonnes courtes',
};

const ACCESS_LEVEL_FR: Record<AccessLevel, string> = {
  Read: 'Lecture seule',
  'Read Write': 'Lecture et écriture',
};

function inLanguage<K extends string>(french: Record<K, string>, lang: Lang, value: string): string {
  if (lang === 'en' || !Object.hasOwn(french, value)) return value;
  return french[value as K];
}

/** A meter's type as ESPM names it ("Natural Gas"), in the page's language. */
export function meterTypeText(lang: Lang, value: string): string {
  return inLanguage(METER_TYPE_FR, lang, value);
}

/** A unit of measure as ESPM names it ("cm (Cubic meters)"), in the page's language. */
export function unitText(lang: Lang, value: string): string {
  return inLanguage(UNIT_FR, lang, value);
}

/** A share's access level as ESPM names it ("Read Write"), in the page's language. */
export function accessLevelText(lang: Lang, value: string): string {
  return inLanguage(ACCESS_LEVEL_FR, lang, value);
}

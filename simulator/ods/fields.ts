/**
 * The field tables of the two datasets the simulated Opendatasoft portals publish: the machine
 * name each portal uses, the label it shows (and exports with `use_labels=true`), and the type.
 */

export type OdsFieldType = 'text' | 'int' | 'double';

export interface OdsField {
  name: string;
  label: string;
  type: OdsFieldType;
}

const field = (name: string, label: string, type: OdsFieldType): OdsField => ({
  name,
  label,
  type,
});

/**
 * Agence ORE, consumption by sector aggregated by commune. Labels are the file's header as the
 * portal exports it, including the double spaces before `(MWh)` and the `Indique` typo; names
 * are the short machine names of the real API, in the file's column order.
 */
export const oreCommuneFields: readonly OdsField[] = [
  field('operateur', 'Opérateur', 'text'),
  field('annee', 'Année', 'text'),
  field('filiere', 'Filière', 'text'),
  field('consoa', 'Consommation Agriculture (MWh)', 'double'),
  field('pdla', 'Nombre de points Agriculture', 'int'),
  field('nombre_maille_secretisees_a', 'Nombre de mailles secretisées (agriculture)', 'int'),
  field('indqualitea', 'Indique qualité Agriculture', 'double'),
  field('consoi', 'Consommation Industrie (MWh)', 'double'),
  field('pdli', 'Nombre de points Industrie', 'int'),
  field('nombre_maille_secretisees_i', 'Nombre de mailles secretisées (industrie)', 'int'),
  field('indqualitei', 'Indice qualité Industrie', 'double'),
  field('consot', 'Consommation Tertiaire  (MWh)', 'double'),
  field('pdlt', 'Nombre de points Tertiaire', 'int'),
  field('nombre_maille_secretisees_t', 'Nombre de mailles secretisées (tertiaire)', 'int'),
  field('indqualitet', 'Indice qualité Tertiaire', 'double'),
  field('consor', 'Consommation Résidentiel  (MWh)', 'double'),
  field('pdlr', 'Nombre de points Résidentiel', 'int'),
  field('nombre_maille_secretisees_r', 'Nombre de mailles secretisées (résidentiel)', 'int'),
  field('indqualiter', 'Indice qualité Résidentiel', 'double'),
  field('thermor', 'Thermosensibilité (MWh/degré-jour)', 'double'),
  field('partr', 'Part Thermosensible', 'double'),
  field('consona', 'Consommation Secteur Inconnu (MWh)', 'double'),
  field('pdlna', 'Nombre de points Secteur Inconnu', 'int'),
  field('nombre_maille_secretisees_na', 'Nombre de mailles secretisées (secteur inconnu)', 'int'),
  field('indqualitena', 'Indice qualité Non Affecté', 'double'),
  field('code_commune', 'Code Commune', 'text'),
  field('libelle_commune', 'Libellé Commune', 'text'),
  field('code_epci', 'Code EPCI', 'text'),
  field('libelle_epci', 'Libellé EPCI', 'text'),
  field('code_departement', 'Code Département', 'text'),
  field('libelle_departement', 'Libellé Département', 'text'),
  field('code_region', 'Code Région', 'text'),
  field('libelle_region', 'Libellé Région', 'text'),
  field('id_filiere', 'id_filiere', 'int'),
  field('consototale', 'Consommation totale (MWh)', 'double'),
  field('code_postal', 'Code_postal', 'text'),
];

/** Turns an R-mangled header (`Conso.totale..MWh.`) into the portal's field name. */
export function snakeCaseName(header: string): string {
  return header
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/**
 * Enedis residential consumption by EPCI: readable labels for the R export's columns, keyed by
 * the field name derived from each header with `snakeCaseName`.
 */
export const enedisEpciFields: readonly OdsField[] = [
  field('id', 'Identifiant', 'int'),
  field('operateur', 'Opérateur', 'text'),
  field('code_epci', 'Code EPCI', 'text'),
  field('nom_epci', 'Nom EPCI', 'text'),
  field('code_departement', 'Code Département', 'text'),
  field('nom_departement', 'Nom Département', 'text'),
  field('code_region', 'Code Région', 'text'),
  field('nom_region', 'Nom Région', 'text'),
  field('nb_sites', 'Nombre de sites', 'int'),
  field('conso_totale_mwh', 'Consommation totale (MWh)', 'double'),
  field('conso_moyenne_mwh', 'Consommation moyenne (MWh)', 'double'),
  field('part_thermosensible', 'Part thermosensible (%)', 'double'),
  field(
    'conso_totale_a_usages_thermosensibles_mwh',
    'Consommation totale à usages thermosensibles (MWh)',
    'double',
  ),
  field(
    'conso_totale_corrigee_de_l_alea_climatique_a_usages_thermose',
    "Consommation totale corrigée de l'aléa climatique à usages thermosensibles (MWh)",
    'double',
  ),
  field(
    'conso_moyenne_a_usages_thermosensibles_mwh',
    'Consommation moyenne à usages thermosensibles (MWh)',
    'double',
  ),
  field(
    'conso_moyenne_corrigee_de_l_alea_climatique_a_usages_thermos',
    "Consommation moyenne corrigée de l'aléa climatique à usages thermosensibles (MWh)",
    'double',
  ),
  field('nombre_d_habitants', "Nombre d'habitants", 'int'),
  field('taux_de_logements_collectifs', 'Taux de logements collectifs (%)', 'double'),
  field('taux_de_residences_principales', 'Taux de résidences principales (%)', 'double'),
  field('superficie_des_logements_30_m2', 'Superficie des logements < 30 m²', 'int'),
  field('superficie_des_logements_30_a_40_m2', 'Superficie des logements 30 à 40 m²', 'int'),
  field('superficie_des_logements_40_a_60_m2', 'Superficie des logements 40 à 60 m²', 'int'),
  field('superficie_des_logements_60_a_80_m2', 'Superficie des logements 60 à 80 m²', 'int'),
  field('superficie_des_logements_80_a_100_m2', 'Superficie des logements 80 à 100 m²', 'int'),
  field('superficie_des_logements_100_m2', 'Superficie des logements > 100 m²', 'int'),
  field('residences_principales_avant_1919', 'Résidences principales avant 1919', 'int'),
  field('residences_principales_de_1919_a_1945', 'Résidences principales de 1919 à 1945', 'int'),
  field('residences_principales_de_1946_a_1970', 'Résidences principales de 1946 à 1970', 'int'),
  field('residences_principales_de_1971_a_1990', 'Résidences principales de 1971 à 1990', 'int'),
  field('residences_principales_de_1991_a_2005', 'Résidences principales de 1991 à 2005', 'int'),
  field('residences_principales_de_2006_a_2015', 'Résidences principales de 2006 à 2015', 'int'),
  field('residences_principales_apres_2016', 'Résidences principales après 2016', 'int'),
  field('taux_de_chauffage_electrique', 'Taux de chauffage électrique (%)', 'double'),
];

import { openDatabase, quoteLiteral } from '../../lib/duckdb.js';
import { dataFilePath } from '../data-files.js';
import { enedisEpciFields, type OdsField, oreCommuneFields, snakeCaseName } from './fields.js';

/** The datasets of the simulated portals, parsed once with DuckDB's CSV reader. */

export type OdsValue = string | number | null;
export type OdsRow = Record<string, OdsValue>;

export interface OdsDatasetDefinition {
  id: string;
  title: string;
  publisher: string;
  file: string;
  delimiter: string;
  fields: readonly OdsField[];
  /** The field name a file header maps to; the header order must follow `fields`. */
  nameOfHeader(header: string): string | undefined;
}

export interface OdsDataset {
  definition: OdsDatasetDefinition;
  rows: OdsRow[];
}

const labelToName = new Map(oreCommuneFields.map((item) => [item.label, item.name]));

/** Datasets by portal (the first path segment of the simulator). */
export const portals: Record<string, readonly OdsDatasetDefinition[]> = {
  agenceore: [
    {
      id: 'conso-elec-gaz-annuelle-par-secteur-dactivite-agregee-commune',
      title: "Consommation annuelle d'électricité et gaz par commune et par secteur d'activité",
      publisher: 'Agence ORE',
      file: 'energy/ore_conso_elec_gaz_commune_labels_header_chunk10.csv',
      delimiter: ';',
      fields: oreCommuneFields,
      nameOfHeader: (header) => labelToName.get(header),
    },
  ],
  enedis: [
    {
      id: 'consommation-electrique-residentielle-par-epci',
      title: 'Consommation électrique résidentielle par EPCI',
      publisher: 'Enedis',
      file: 'energy/enedis_residentiel_epci_2023_with_housing_stats_R-export.csv',
      delimiter: ',',
      fields: enedisEpciFields,
      nameOfHeader: snakeCaseName,
    },
  ],
};

const integerText = /^-?\d+$/;
const decimalText = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** Types one raw value; text a numeric field cannot hold (a sentinel) is served as it is. */
function typedValue(raw: string | null, field: OdsField): OdsValue {
  if (raw === null) return null;
  if (field.type === 'int' && integerText.test(raw)) return Number(raw);
  if (field.type === 'double' && decimalText.test(raw)) return Number(raw);
  return raw;
}

/** Reads a dataset's file with DuckDB (every column as text) and types it by the field table. */
export async function loadDataset(
  dataDir: string,
  definition: OdsDatasetDefinition,
): Promise<OdsDataset> {
  const path = dataFilePath(dataDir, definition.file);
  const database = await openDatabase();
  try {
    const result = await database.connection.runAndReadAll(
      `SELECT * FROM read_csv(${quoteLiteral(path)}, delim = ${quoteLiteral(definition.delimiter)},
         header = true, all_varchar = true, quote = '"')`,
    );

    const headers = result.columnNames();
    const expected = definition.fields.map((item) => item.name);
    const found = headers.map((header) => definition.nameOfHeader(header) ?? `?${header}`);
    if (found.join('|') !== expected.join('|')) {
      throw new Error(
        `${path}: the header does not match the field table of ${definition.id}; ` +
          `expected ${expected.join(', ')}, found ${found.join(', ')}`,
      );
    }

    const rows = result.getRows().map((values) => {
      const row: OdsRow = {};
      definition.fields.forEach((item, index) => {
        const raw = values[index];
        row[item.name] = typedValue(raw === null || raw === undefined ? null : String(raw), item);
      });
      return row;
    });
    return { definition, rows };
  } finally {
    database.close();
  }
}

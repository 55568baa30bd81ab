import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { openDatabase, quoteLiteral } from '../../lib/duckdb.js';

/**
 * The bench report's database, built with DuckDB from the generated national files: ORE
 * consumption by commune, sector and year (about 466,000 records) and a year of load curves.
 * Tables are long on purpose, so that the report runs to twenty pages and more.
 */

const sectors = [
  // As the labels are spelt, the double space before (MWh) included.
  ['agriculture', 'Agriculture '],
  ['industry', 'Industrie '],
  ['tertiary', 'Tertiaire  '],
  ['residential', 'Résidentiel  '],
] as const;

function oreSql(file: string): string {
  const read = `read_csv(${quoteLiteral(file)}, delim = ';', header = true, all_varchar = true)`;
  const parts = sectors.map(
    ([sector, label]) => `select "Année"::integer as year,
        case "Filière" when 'Gaz' then 'gaz' else 'électricité' end as energy,
        "Code Commune" as commune_code, "Libellé Commune" as commune_name,
        "Code Département" as department_code, "Libellé Département" as department_name,
        "Libellé Région" as region, '${sector}' as sector,
        "Consommation ${label}(MWh)"::double as consumption_mwh,
        "Nombre de points ${label.trim()}"::integer as delivery_points
      from ${read}`,
  );
  return parts.join(' union all ');
}

export async function buildReportDatabase(
  file: string,
  inputs: { oreFile: string; loadCurveFile: string },
): Promise<void> {
  if (existsSync(file)) return;
  await mkdir(dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  await rm(partial, { force: true });
  const database = await openDatabase(partial);
  try {
    const run = (sql: string) => database.connection.run(sql);
    await run(`create table consumption as ${oreSql(inputs.oreFile)}`);
    await run(`create table load_curve_monthly as
      select id_prm as site_id, substr(horodate, 1, 7) as month,
        sum(valeur_w) * 0.5 / 1000 as energy_kwh, max(valeur_w) as peak_w
      from read_csv(${quoteLiteral(inputs.loadCurveFile)}, delim = ';', header = true,
        columns = {'id_prm': 'VARCHAR', 'horodate': 'VARCHAR', 'valeur_w': 'INTEGER'})
      group by all`);
    await run('checkpoint');
  } finally {
    database.close();
  }
  await rename(partial, file);
}

/**
 * The aggregation every ingest candidate ends with: energy and peak power by site and month,
 * the shape of what an inventory model does with a load curve. The same SQL runs over the
 * terreze raw table, over the Parquet partition, and over DuckDB's own read of the CSV.
 */
export function monthlyEnergySql(relation: string): string {
  return `select site_id, substr(measured_at, 1, 7) as month, count(*) as readings,
      count(power_w) as measured_readings, sum(power_w) * 0.5 / 1000 as energy_kwh,
      max(power_w) as peak_w
    from ${relation} group by all order by site_id, month`;
}

/** DuckDB's own read of the load-curve CSV, with the connector's column names. */
export function bareReadSql(file: string): string {
  const path = `'${file.replaceAll("'", "''")}'`;
  return `(select id_prm as site_id, horodate as measured_at, valeur_w as power_w
    from read_csv(${path}, delim = ';', header = true,
      columns = {'id_prm': 'VARCHAR', 'horodate': 'VARCHAR', 'valeur_w': 'INTEGER'}))`;
}

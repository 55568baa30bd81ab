-- Base Carbone elements in the registry's columns: a factor's total and the per-gas
-- breakdown the export gives (kgCO2e per unit), never its `Poste` rows. Another registry source
-- (ADEME's API, say) plugs in as one more `stg_factors_<registry>.sql` with these columns.
select
  'base-carbone:' || b.factor_id as factor_ref,
  'base-carbone' as registry,
  'ADEME Base Carbone' as registry_name,
  b.factor_id,
  trim(b.name_fr || coalesce(' — ' || nullif(b.attribute_fr, ''), '')) as factor_name,
  b.total_kgco2e as value_kgco2e,
  b.unit_fr as unit,
  b.co2f as co2_fossil_kgco2e,
  b.ch4f as ch4_fossil_kgco2e,
  b.ch4b as ch4_biogenic_kgco2e,
  b.n2o as n2o_kgco2e,
  b.co2b as co2_biogenic_kgco2e,
  cast(null as double) as co2_kg,
  cast(null as double) as ch4_kg,
  cast(null as double) as n2o_kg,
  -- The export has no wet/dry column: its waste factors are applied as the element states them.
  cast(null as varchar) as mass_basis,
  b.validity_year,
  b.validity as validity_text,
  coalesce(nullif(b.source, ''), 'ADEME Base Carbone') || ' (id ' || b.factor_id || ')'
    as factor_source,
  b.status,
  b.location,
  b.source_id as registry_source_id,
  b.run_id as registry_run_id
from raw_base_carbone as b
where b.line_type = 'element'

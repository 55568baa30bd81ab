-- The factors the project file declares, with their source. A factor given per gas (kg of
-- CO2, CH4, N2O per unit) is weighted by the project's GWP set. A factor per mass may declare
-- the basis of that mass (wet as collected, or dry), checked against the quantities it meets.
select
  'local:' || l.id as factor_ref,
  'local' as registry,
  'declared in the project file' as registry_name,
  l.id as factor_id,
  l.name as factor_name,
  coalesce(l.value_kgco2e, l.co2_kg + l.ch4_kg * g.ch4 + l.n2o_kg * g.n2o) as value_kgco2e,
  -- Per-gas quantities are weighted into kgCO2e, so the unit says kgCO2e whatever gas was given.
  'kgCO2e/' || regexp_extract(l.unit, '/(.*)$', 1) as unit,
  cast(null as double) as co2_fossil_kgco2e,
  cast(null as double) as ch4_fossil_kgco2e,
  cast(null as double) as ch4_biogenic_kgco2e,
  cast(null as double) as n2o_kgco2e,
  cast(null as double) as co2_biogenic_kgco2e,
  case when l.value_kgco2e is null then l.co2_kg end as co2_kg,
  case when l.value_kgco2e is null then l.ch4_kg end as ch4_kg,
  case when l.value_kgco2e is null then l.n2o_kg end as n2o_kg,
  l.mass_basis,
  l.year as validity_year,
  cast(l.year as varchar) as validity_text,
  l.source || coalesce(' — ' || l.note, '') as factor_source,
  'declared' as status,
  cast(null as varchar) as location,
  cast(null as varchar) as registry_source_id,
  cast(null as varchar) as registry_run_id
from local_factors as l
cross join gwp as g

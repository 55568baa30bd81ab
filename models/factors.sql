-- The emission-factor registry: Base Carbone elements (their totals, never their breakdown
-- rows) and the factors the project declares, each with a canonical activity unit.
with base_carbone as (
  select
    'base-carbone:' || b.factor_id as factor_ref,
    'Base Carbone' as registry,
    b.factor_id,
    trim(b.name_fr || coalesce(' — ' || nullif(b.attribute_fr, ''), '')) as factor_name,
    b.total_kgco2e as value_kgco2e,
    b.unit_fr as unit,
    b.validity_year,
    coalesce(nullif(b.source, ''), 'ADEME Base Carbone') || ' (id ' || b.factor_id || ')'
      as factor_source,
    b.status,
    b.source_id as registry_source_id,
    b.run_id as registry_run_id
  from raw_base_carbone as b
  where b.line_type = 'element'
),
declared as (
  select
    'local:' || l.id as factor_ref,
    'project' as registry,
    l.id as factor_id,
    l.name as factor_name,
    coalesce(l.value_kgco2e, l.co2_kg + l.ch4_kg * g.ch4 + l.n2o_kg * g.n2o) as value_kgco2e,
    l.unit,
    l.year as validity_year,
    l.source || coalesce(' — ' || l.note, '') as factor_source,
    'declared' as status,
    cast(null as varchar) as registry_source_id,
    cast(null as varchar) as registry_run_id
  from local_factors as l
  cross join gwp as g
)
select
  f.*,
  -- The part of the unit after the slash, in the names activities use.
  case
    when lower(f.unit) like '%/kwh%' then 'kWh'
    when lower(f.unit) like '%/mwh%' then 'MWh'
    when lower(f.unit) like '%/tonne%' or lower(f.unit) like '%/t' then 't'
    when lower(f.unit) like '%/kg' then 'kg'
    when lower(f.unit) like '%/litre' or lower(f.unit) like '%/l' then 'L'
    when lower(f.unit) like '%/vehicle-km' or lower(f.unit) like '%/km' then 'vehicle-km'
    when lower(f.unit) like '%/passager.km' or lower(f.unit) like '%/passenger-km'
      then 'passenger-km'
    else f.unit
  end as activity_unit
from (select * from base_carbone union all by name select * from declared) as f

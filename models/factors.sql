-- The emission-factor registry: every registry source's rows in one set of columns, each
-- with the canonical unit its value is expressed per (through the unit aliases of
-- lib/units.ts) and a version that changes whenever anything the value depends on changes.
-- Two registry sources giving the same version of a factor (the export and the API) keep one
-- row; different versions under one reference stop the run (checks/factors_unique.sql).
with registries as (
  select * from stg_factors_base_carbone
  union all by name select * from stg_factors_declared
),
versioned as (
  select
    f.*,
    a.unit as activity_unit,
    left(md5(to_json({
      'ref': f.factor_ref, 'value': f.value_kgco2e, 'unit': f.unit, 'year': f.validity_year,
      'status': f.status, 'source': f.factor_source, 'co2f': f.co2_fossil_kgco2e,
      'ch4f': f.ch4_fossil_kgco2e, 'ch4b': f.ch4_biogenic_kgco2e, 'n2o': f.n2o_kgco2e,
      'co2b': f.co2_biogenic_kgco2e, 'co2_kg': f.co2_kg, 'ch4_kg': f.ch4_kg, 'n2o_kg': f.n2o_kg
    })::varchar
      -- A declared basis joins the hash only when there is one: factors without keep their version.
      || coalesce(' basis ' || f.mass_basis, '')), 12) as factor_version,
    p.sha256 as registry_sha256
  from registries as f
  left join unit_aliases as a
    on a.alias = trim(regexp_replace(lower(strip_accents(regexp_extract(f.unit, '/(.*)$', 1))),
      '\s+', ' ', 'g'))
  left join partitions as p on p.source_id = f.registry_source_id and p.run_id = f.registry_run_id
)
select *
from versioned
qualify row_number() over (
  partition by factor_ref, factor_version order by registry_source_id nulls first
) = 1

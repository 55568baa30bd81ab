-- Agence ORE electricity and gas by commune and sector, kept for the territory's communes.
-- Electricity is grid energy (scope 2), gas is burned in the boundary (scope 1) and is
-- published in MWh PCS, the unit its factor is expressed in (per kWh PCS).
select
  r.source_id,
  r.period,
  r.run_id,
  r.year as data_year,
  'commune' as geography_level,
  r.commune_code as geography_code,
  case r.sector
    when 'residential' then 'I.1' when 'tertiary' then 'I.2' when 'industry' then 'I.3'
    when 'agriculture' then 'I.5' else 'I.6'
  end || case r.energy when 'gas' then '.1' else '.2' end as gpc_ref,
  case r.sector when 'unknown' then 'unspecified' else r.sector end as pcaet_sector,
  case r.energy when 'gas' then 1 else 2 end as scope,
  case r.energy when 'gas' then 'natural-gas' else 'electricity' end as activity_key,
  case r.energy when 'gas' then 'natural-gas' else 'electricity' end as energy_carrier,
  r.consumption_mwh as quantity,
  case r.energy when 'gas' then 'MWh PCS' else 'MWh' end as unit,
  provider_notation_key(r.consumption_flag) as notation_key,
  provider_notation_reason(r.consumption_flag) as notation_reason,
  'measured' as quality,
  r.delivery_points,
  r.commune_code || '|' || r.energy || '|' || r.sector || '|' || r.operator as detail_key,
  'operator ' || r.operator || coalesce(', ' || nullif(r.masked_cells, 0) || ' masked mesh(es)', '')
    as note
from raw_ore_commune_consumption as r
join communes as c on r.commune_code = c.insee

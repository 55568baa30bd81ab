-- Heat and cold delivered by district networks, IRIS by IRIS, kept for the territory's
-- communes, in MWh as published.
-- TODO(inventory): no factor for district cooling in the data; cold networks surface as NE.
select
  r.source_id,
  r.period,
  r.run_id,
  r.year as data_year,
  'commune' as geography_level,
  r.commune_code as geography_code,
  case r.sector_code
    when 'R' then 'I.1.2' when 'T' then 'I.2.2' when 'I' then 'I.3.2' when 'A' then 'I.5.2'
    else 'I.6.2'
  end as gpc_ref,
  case r.sector_code
    when 'R' then 'residential' when 'T' then 'tertiary' when 'I' then 'industry'
    when 'A' then 'agriculture' else 'unspecified'
  end as pcaet_sector,
  2 as scope,
  case r.energy when 'heat' then 'heat-network' else 'cooling-network' end as activity_key,
  case r.energy when 'heat' then 'district-heat' else 'district-cold' end as energy_carrier,
  r.consumption_mwh as quantity,
  'MWh' as unit,
  provider_notation_key(r.consumption_flag) as notation_key,
  provider_notation_reason(r.consumption_flag) as notation_reason,
  'measured' as quality,
  r.delivery_points,
  r.network_id || '|' || r.iris_code || '|' || r.energy || '|' || coalesce(r.sector_code, '')
    as detail_key,
  'network ' || r.network_id || ', IRIS ' || r.iris_code as note
from raw_sdes_heat_iris as r
join communes as c on r.commune_code = c.insee

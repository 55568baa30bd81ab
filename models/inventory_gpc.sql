-- The GPC BASIC table: every sub-sector, its tCO2e where estimated, otherwise the notation key
-- that tells why (C confidential, NE not estimated, IE included elsewhere).
with estimated as (
  select
    gpc_ref,
    sum(tco2e) as tco2e,
    count(*) filter (where tco2e is not null) as estimated_rows,
    count(*) filter (where emission_notation_key = 'C') as confidential_rows,
    count(*) filter (where emission_notation_key = 'NE') as not_estimated_rows,
    bool_or(quality = 'downscaled') as downscaled,
    bool_or(stand_in) as stand_in,
    string_agg(distinct source_id, ', ' order by source_id) as sources,
    string_agg(distinct cast(data_year as varchar), ', ' order by cast(data_year as varchar))
      as data_years
  from emissions
  where gpc_ref is not null
  group by gpc_ref
)
select
  r.sector,
  r.sector_name,
  r.gpc_ref,
  r.subsector_name,
  r.scope,
  r.pcaet_sector,
  e.tco2e,
  case
    when e.gpc_ref is null then 'NE'
    when e.estimated_rows = 0 and e.confidential_rows > 0 then 'C'
    when e.estimated_rows = 0 then 'NE'
  end as notation_key,
  coalesce(e.confidential_rows, 0) as confidential_rows,
  coalesce(e.not_estimated_rows, 0) as not_estimated_rows,
  coalesce(e.downscaled, false) as downscaled,
  coalesce(e.stand_in, false) as stand_in,
  e.sources,
  e.data_years
from gpc_reference as r
left join estimated as e on e.gpc_ref = r.gpc_ref
order by r.gpc_ref

-- The GPC BASIC table: every sub-sector, its tCO2e where estimated, otherwise the notation key
-- that tells why — NO (declared not occurring), IE (included elsewhere), C (confidential) or
-- NE (not estimated) — with the reason, never a zero. A sub-sector fed by a source this edition
-- lacks is not `complete`, whatever figure its other rows give; a stand-in's figure is apart,
-- in `illustrative_tco2e`.
with estimated as (
  select
    gpc_ref,
    sum(tco2e) as tco2e,
    sum(illustrative_tco2e) as illustrative_tco2e,
    count(*) filter (where tco2e is not null) as estimated_rows,
    count(*) filter (where emission_notation_key = 'C') as confidential_rows,
    count(*) filter (where emission_notation_key = 'NE') as not_estimated_rows,
    count(*) filter (where emission_notation_key = 'IE') as included_elsewhere_rows,
    bool_or(quality = 'downscaled') as downscaled,
    bool_or(stand_in) as stand_in,
    string_agg(distinct source_id, ', ' order by source_id) as sources,
    string_agg(distinct cast(data_year as varchar), ', ' order by cast(data_year as varchar))
      as data_years,
    string_agg(distinct emission_notation_reason, '; ' order by emission_notation_reason)
      filter (where tco2e is null) as reasons
  from emissions
  where gpc_ref is not null
  group by gpc_ref
),
missing as (
  select
    gpc_ref,
    string_agg(source_id, ', ' order by source_id) as missing_sources,
    'missing from this edition: '
      || string_agg(source_id || ' (' || state || ')', ', ' order by source_id) as missing_reason
  from missing_source_subsectors
  group by gpc_ref
)
select
  r.sector,
  r.sector_name,
  r.gpc_ref,
  r.subsector_name,
  r.subsector_label,
  r.scope,
  r.pcaet_sector,
  p.pcaet_label,
  case when d.notation_key is null then e.tco2e end as tco2e,
  case
    when d.notation_key is not null then d.notation_key
    when e.gpc_ref is null then 'NE'
    when e.estimated_rows > 0 then null
    when e.confidential_rows > 0 then 'C'
    when e.included_elsewhere_rows > 0 and e.not_estimated_rows = 0 then 'IE'
    else 'NE'
  end as notation_key,
  case
    when d.notation_key is not null then 'declared: ' || d.reason
    when e.gpc_ref is null then coalesce(m.missing_reason, 'no source covers this sub-sector')
    when e.estimated_rows = 0 then concat_ws('; ', e.reasons, m.missing_reason)
  end as notation_reason,
  coalesce(e.estimated_rows, 0) as estimated_rows,
  coalesce(e.confidential_rows, 0) as confidential_rows,
  coalesce(e.not_estimated_rows, 0) as not_estimated_rows,
  coalesce(e.downscaled, false) as downscaled,
  coalesce(e.stand_in, false) as stand_in,
  e.sources,
  e.data_years,
  e.illustrative_tco2e,
  m.gpc_ref is null as complete,
  m.missing_sources,
  m.missing_reason as incomplete_reason
from gpc_reference as r
left join estimated as e on e.gpc_ref = r.gpc_ref
left join missing as m on m.gpc_ref = r.gpc_ref
left join notation_declarations as d on d.gpc_ref = r.gpc_ref
left join pcaet_sectors as p on p.pcaet_sector = r.pcaet_sector
order by r.gpc_ref

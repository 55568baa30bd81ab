-- Residential electricity of the territory's EPCI, as its distributors publish it, in MWh: the
-- factor per kWh meets it through the declared MWh → kWh conversion. The EPCI is the finest
-- level this dataset has, so the rows stay at that level.
select
  r.source_id,
  r.period,
  r.run_id,
  r.year as data_year,
  'epci' as geography_level,
  r.epci_code as geography_code,
  'I.1.2' as gpc_ref,
  'residential' as pcaet_sector,
  2 as scope,
  'electricity' as activity_key,
  'electricity' as energy_carrier,
  r.consumption_mwh as quantity,
  'MWh' as unit,
  provider_notation_key(r.consumption_flag) as notation_key,
  provider_notation_reason(r.consumption_flag) as notation_reason,
  'measured' as quality,
  r.sites as delivery_points,
  r.epci_code || '|' || r.operator as detail_key,
  'operator ' || r.operator as note
from raw_enedis_residential_epci as r
join territory as t on r.epci_code = t.epci

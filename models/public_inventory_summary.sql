-- The headline figures for the audiences that see masked figures (see secrecy_mask). The
-- stand-in figure and the completeness are not subject to secrecy (no delivery points).
select
  s.reporting_year,
  case when t.masked then null else s.total_tco2e end as total_tco2e,
  case when t.masked then null else s.tco2e_per_inhabitant end as tco2e_per_inhabitant,
  s.population,
  s.population_year,
  case when i.masked then null else s.stationary_energy_tco2e end as stationary_energy_tco2e,
  case when ii.masked then null else s.transportation_tco2e end as transportation_tco2e,
  case when iii.masked then null else s.waste_tco2e end as waste_tco2e,
  coalesce(t.masked, false) as total_masked,
  s.illustrative_tco2e,
  s.complete,
  s.missing_sources
from inventory_summary as s
left join secrecy_mask as t on t.node_kind = 'total'
left join secrecy_mask as i on i.node_kind = 'sector' and i.node_key = 'I'
left join secrecy_mask as ii on ii.node_kind = 'sector' and ii.node_key = 'II'
left join secrecy_mask as iii on iii.node_kind = 'sector' and iii.node_key = 'III'

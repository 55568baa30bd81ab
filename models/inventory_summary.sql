-- The headline figures of the reporting year: the territory's own estimated sub-sectors only.
-- Avoided emissions are never netted here, and a stand-in source's figure is apart
-- (`illustrative_tco2e`); a total fed by a source this edition lacks is not `complete`.
select
  cycle.reporting_year,
  sum(s.tco2e) as total_tco2e,
  sum(s.tco2e) / max(t.population) as tco2e_per_inhabitant,
  max(t.population) as population,
  max(t.population_year) as population_year,
  sum(s.tco2e) filter (where s.sector = 'I') as stationary_energy_tco2e,
  sum(s.tco2e) filter (where s.sector = 'II') as transportation_tco2e,
  sum(s.tco2e) filter (where s.sector = 'III') as waste_tco2e,
  sum(s.estimated_subsectors) as estimated_subsectors,
  sum(s.subsectors) as subsectors,
  sum(s.illustrative_tco2e) as illustrative_tco2e,
  bool_and(s.complete) as complete,
  (select string_agg(distinct m.source_id, ', ' order by m.source_id)
    from missing_source_subsectors as m) as missing_sources
from inventory_sector as s
cross join cycle
cross join territory as t
group by cycle.reporting_year

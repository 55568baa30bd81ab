-- The headline figures of the reporting year. Avoided emissions are never netted here.
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
  sum(s.subsectors) as subsectors
from inventory_sector as s
cross join cycle
cross join territory as t
group by cycle.reporting_year

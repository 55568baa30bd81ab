-- Emissions of the rows located in a commune, then one line for what is only known for the
-- whole EPCI or département (`row_key` 'epci').
select
  c.insee as commune_code,
  c.name as commune_name,
  c.population,
  sum(e.tco2e) as tco2e,
  count(*) filter (where e.emission_notation_key = 'C') as confidential_rows,
  string_agg(distinct e.activity_key, ', ' order by e.activity_key) as activities,
  c.insee as row_key
from communes as c
left join emissions as e on e.geography_level = 'commune' and e.geography_code = c.insee
group by all
union all
select
  null as commune_code,
  'Not allocated to a commune (EPCI or département data)' as commune_name,
  null as population,
  sum(e.tco2e) as tco2e,
  count(*) filter (where e.emission_notation_key = 'C') as confidential_rows,
  string_agg(distinct e.activity_key, ', ' order by e.activity_key) as activities,
  'epci' as row_key
from emissions as e
where e.geography_level <> 'commune'
order by commune_code nulls last

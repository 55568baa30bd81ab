-- Emissions by commune and GPC sub-sector, the cells of the commune × sector table that
-- statistical secrecy protects; what is only known for the whole EPCI is one more row
-- (`row_key` 'epci'). Delivery points and the largest single-point row serve the count and
-- dominance rules.
select
  case when e.geography_level = 'commune' then e.geography_code else 'epci' end as row_key,
  case when e.geography_level = 'commune' then e.geography_code end as commune_code,
  coalesce(c.name, 'Not allocated to a commune (EPCI or département data)') as commune_name,
  e.gpc_ref,
  sum(e.tco2e) as tco2e,
  count(*) filter (where e.tco2e is not null) as estimated_rows,
  count(*) filter (where e.emission_notation_key = 'C') as confidential_rows,
  sum(e.delivery_points) filter (where e.tco2e is not null) as delivery_points,
  count(*) filter (where e.tco2e is not null and e.delivery_points is null) as rows_without_points,
  max(e.tco2e) filter (where e.delivery_points = 1) as largest_single_point_tco2e,
  case
    when count(*) filter (where e.tco2e is not null) > 0 then null
    when count(*) filter (where e.emission_notation_key = 'C') > 0 then 'C'
    when bool_and(e.emission_notation_key = 'IE') then 'IE'
    else 'NE'
  end as notation_key
from emissions as e
left join communes as c on e.geography_level = 'commune' and c.insee = e.geography_code
where e.gpc_ref is not null
group by all
order by row_key, e.gpc_ref

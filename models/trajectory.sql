-- The straight path from the reference year's total to each target in turn, year by year,
-- with the inventoried total where an edition gives one (the reference and reporting years)
-- and the gap between them: positive when emissions are above the path. Each row says whether
-- the baseline the path is drawn from is complete, and each inventoried figure whether it is.
with points as (
  select c.reference_year as year, 0.0 as reduction_percent, 'reference year' as label
  from cycle as c
  union all
  select year, reduction_percent, coalesce(label, reduction_percent || ' % reduction') from targets
),
segments as (
  select
    year as start_year,
    reduction_percent as start_percent,
    lead(year) over (order by year) as end_year,
    lead(reduction_percent) over (order by year) as end_percent
  from points
),
years as (
  select cast(unnest(generate_series(min(year), max(year))) as integer) as year from points
),
path as (
  select
    y.year,
    case
      when s.end_year is null then s.start_percent
      else s.start_percent
        + (s.end_percent - s.start_percent) * (y.year - s.start_year) / (s.end_year - s.start_year)
    end as path_reduction_percent
  from years as y
  join segments as s
    on y.year >= s.start_year and (y.year < s.end_year or s.end_year is null)
)
select
  p.year,
  p.path_reduction_percent,
  b.baseline_tco2e * (1 - p.path_reduction_percent / 100) as path_tco2e,
  pt.label as milestone,
  case
    when p.year = c.reporting_year then s.total_tco2e
    when p.year = c.reference_year then b.baseline_tco2e
  end as inventory_tco2e,
  case
    when p.year = c.reporting_year then s.total_tco2e
    when p.year = c.reference_year then b.baseline_tco2e
  end - b.baseline_tco2e * (1 - p.path_reduction_percent / 100) as gap_tco2e,
  case
    when p.year = c.reporting_year then s.complete
    when p.year = c.reference_year then b.baseline_complete
  end as inventory_complete,
  b.baseline_complete,
  p.year = c.reporting_year as is_reporting_year,
  p.year = c.reference_year as is_reference_year
from path as p
cross join cycle as c
cross join baseline as b
cross join inventory_summary as s
left join points as pt on pt.year = p.year
order by p.year

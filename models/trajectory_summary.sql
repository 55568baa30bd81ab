-- Where the reporting year stands against the path, and the carbon budget. The budget is the
-- area under the straight path from the reference year to the net-zero year (the 100 % target,
-- else the last target) counted in whole years: the sum of the path's emissions of each year,
-- both ends included. The budget used sums the emissions of each year from the reference year
-- to the reporting year, those between two inventoried years interpolated on a straight line.
-- Targets and budget rest on the baseline: whether it is complete goes with them.
with bounds as (
  select
    c.reference_year,
    c.reporting_year,
    coalesce(min(t.year) filter (where t.reduction_percent = 100), max(t.year)) as budget_end_year
  from cycle as c
  cross join targets as t
  group by all
),
next_target as (
  select t.year, t.reduction_percent, t.label
  from targets as t
  cross join cycle as c
  where t.year > c.reporting_year
  order by t.year
  limit 1
)
select
  b.reference_year,
  b.reporting_year,
  bl.baseline_tco2e,
  bl.baseline_source,
  s.total_tco2e as reporting_year_tco2e,
  (s.total_tco2e / bl.baseline_tco2e - 1) * 100 as change_since_reference_percent,
  tr.path_tco2e as reporting_year_path_tco2e,
  tr.gap_tco2e as reporting_year_gap_tco2e,
  n.year as next_target_year,
  n.reduction_percent as next_target_reduction_percent,
  bl.baseline_tco2e * (1 - n.reduction_percent / 100) as next_target_tco2e,
  s.total_tco2e - bl.baseline_tco2e * (1 - n.reduction_percent / 100)
    as reduction_needed_for_next_target_tco2e,
  b.budget_end_year,
  (select sum(path_tco2e) from trajectory where year <= b.budget_end_year) as carbon_budget_tco2e,
  case
    when b.reporting_year >= b.reference_year
      then (b.reporting_year - b.reference_year + 1) * (bl.baseline_tco2e + s.total_tco2e) / 2
  end as budget_used_tco2e,
  case
    when b.reporting_year >= b.reference_year
      then (b.reporting_year - b.reference_year + 1) * (bl.baseline_tco2e + s.total_tco2e) / 2
        / (select sum(path_tco2e) from trajectory where year <= b.budget_end_year)
  end as budget_used_share,
  bl.same_coverage as baseline_same_coverage,
  bl.baseline_complete,
  bl.baseline_missing_sources,
  s.complete as reporting_year_complete,
  s.missing_sources as reporting_year_missing_sources,
  'sum over each year from the reference year to the net-zero year, both included, of the '
    || 'straight path''s emissions' as budget_definition
from bounds as b
cross join baseline as bl
cross join inventory_summary as s
left join trajectory as tr on tr.year = b.reporting_year
left join next_target as n on true

-- What is not in the totals, for the audiences that see masked figures: a quantity built from
-- delivery points is published only when it comes from at least `minimum_units` of them (the
-- count rule of statistical secrecy; dominance cannot be tested on these aggregates, so a
-- masked audience never sees a quantity from one or two points). Tonnages and distances
-- without delivery points are not subject to secrecy.
select
  n.* exclude (quantity),
  case
    when n.rows_without_points = n.rows then n.quantity
    when n.rows_without_points = 0 and n.delivery_points >= s.minimum_units then n.quantity
  end as quantity,
  n.quantity is not null and not (
    n.rows_without_points = n.rows
    or (n.rows_without_points = 0 and n.delivery_points >= s.minimum_units)
  ) as masked
from not_in_totals as n
cross join secrecy_settings as s
order by n.source_id, n.gpc_ref nulls last, n.activity_key, n.category, n.unit

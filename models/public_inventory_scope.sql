-- Totals by scope for the audiences that see masked figures (see secrecy_mask).
with scopes as (
  select
    scope, sum(tco2e) as tco2e, count(tco2e) as estimated_subsectors, bool_and(complete) as complete
  from inventory_gpc
  group by scope
)
select
  s.scope,
  case when m.masked then null else s.tco2e end as tco2e,
  case when m.masked then 'C' when s.tco2e is null then 'NE' end as notation_key,
  coalesce(m.masked, false) as masked,
  s.estimated_subsectors,
  s.complete
from scopes as s
left join secrecy_mask as m on m.node_kind = 'scope' and m.node_key = cast(s.scope as varchar)
order by s.scope

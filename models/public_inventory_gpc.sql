-- The GPC BASIC table for the audiences that see masked figures (see secrecy_mask).
select
  g.* exclude (tco2e, notation_key, notation_reason),
  case when m.masked then null else g.tco2e end as tco2e,
  case when m.masked then 'C' else g.notation_key end as notation_key,
  case when m.masked then 'statistical secrecy (' || m.reason || ')' else g.notation_reason end
    as notation_reason,
  coalesce(m.masked, false) as masked
from inventory_gpc as g
left join secrecy_mask as m on m.node_kind = 'gpc' and m.node_key = g.gpc_ref
order by g.gpc_ref

-- Totals by GPC sector for the audiences that see masked figures (see secrecy_mask).
select
  s.* exclude (tco2e, notation_key),
  case when m.masked then null else s.tco2e end as tco2e,
  case when m.masked then 'C' else s.notation_key end as notation_key,
  coalesce(m.masked, false) as masked
from inventory_sector as s
left join secrecy_mask as m on m.node_kind = 'sector' and m.node_key = s.sector
order by s.sector

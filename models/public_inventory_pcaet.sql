-- Totals by PCAET sector for the audiences that see masked figures (see secrecy_mask).
select
  p.* exclude (tco2e, notation_key),
  case when m.masked then null else p.tco2e end as tco2e,
  case when m.masked then 'C' else p.notation_key end as notation_key,
  coalesce(m.masked, false) as masked
from inventory_pcaet as p
left join secrecy_mask as m on m.node_kind = 'pcaet' and m.node_key = p.pcaet_sector
order by p.pcaet_order

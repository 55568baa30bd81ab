-- The commune × GPC sub-sector table for the audiences that see masked figures: a masked cell
-- has no value and the notation key C, with the reason it is masked.
select
  c.row_key,
  c.commune_code,
  c.commune_name,
  c.gpc_ref,
  case when m.masked then null else c.tco2e end as tco2e,
  case when m.masked then 'C' else c.notation_key end as notation_key,
  coalesce(m.masked, false) as masked,
  m.reason as mask_reason
from inventory_commune_sector as c
left join secrecy_mask as m
  on m.node_kind = 'cell' and m.row_key = c.row_key and m.gpc_ref = c.gpc_ref
order by c.row_key, c.gpc_ref

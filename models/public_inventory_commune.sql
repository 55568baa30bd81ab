-- Commune totals for the audiences that see masked figures (see secrecy_mask).
select
  c.row_key,
  c.commune_code,
  c.commune_name,
  c.population,
  case when m.masked then null else c.tco2e end as tco2e,
  case when m.masked then 'C' end as notation_key,
  coalesce(m.masked, false) as masked,
  m.reason as mask_reason,
  c.confidential_rows
from inventory_commune as c
left join secrecy_mask as m on m.node_kind = 'commune' and m.node_key = c.row_key
order by c.commune_code nulls last

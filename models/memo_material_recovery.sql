-- Memo item outside the inventory: tonnes sent to material recovery, by waste stream. Material
-- recovery is not a GPC III emission source; recycling's process emissions belong to the sector
-- that recycles, which this inventory does not estimate. The emissions recycling avoids are in
-- avoided_emissions, apart too.
select
  a.reporting_year,
  a.source_id,
  a.data_year,
  a.waste_stream,
  sum(a.quantity) as quantity,
  a.unit,
  a.mass_basis,
  string_agg(distinct a.quality, ', ' order by a.quality) as quality,
  count(*) as rows,
  count(*) filter (where a.quantity is null) as rows_without_quantity,
  'not a GPC III emission source; recycling''s process emissions belong to the sector that '
    || 'recycles, not estimated here' as note
from activity as a
where a.recovery = 'material-recovery'
group by all
order by a.source_id, a.data_year, a.waste_stream

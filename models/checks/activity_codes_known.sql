-- Every activity row names a known unit, PCAET sector and (when it has one) GPC sub-sector.
select a.source_id, a.activity_key, a.unit, a.pcaet_sector, a.gpc_ref
from activity as a
left join units as u on u.unit = a.unit
left join pcaet_sectors as p on p.pcaet_sector = a.pcaet_sector
left join gpc_reference as g on g.gpc_ref = a.gpc_ref
where u.unit is null or p.pcaet_sector is null or (a.gpc_ref is not null and g.gpc_ref is null)

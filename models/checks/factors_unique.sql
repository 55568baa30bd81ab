-- A factor reference names one factor: two registry sources may not give it different values.
select factor_ref, count(*) as versions, string_agg(factor_version, ', ') as factor_versions,
  string_agg(distinct registry_source_id, ', ') as registry_sources
from factors
group by factor_ref
having count(*) > 1

-- A factor reference names one factor: two registry sources may not both provide it.
select factor_ref, count(*) as versions, string_agg(distinct registry, ', ') as registries
from factors
group by factor_ref
having count(*) > 1

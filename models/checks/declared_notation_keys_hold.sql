-- A sub-sector declared not occurring (NO) or included elsewhere (IE) must be a GPC BASIC
-- sub-sector for which no row is estimated: a declaration never hides a figure.
select d.gpc_ref, d.notation_key, d.reason, count(e.tco2e) as estimated_rows
from notation_declarations as d
left join gpc_reference as r on r.gpc_ref = d.gpc_ref
left join emissions as e on e.gpc_ref = d.gpc_ref and e.tco2e is not null
group by all
having count(e.tco2e) > 0 or bool_and(r.gpc_ref is null)

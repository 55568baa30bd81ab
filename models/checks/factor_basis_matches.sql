-- A factor that declares the basis of its mass (wet as collected, or dry) meets only quantities
-- of that basis: a dry-weight factor on wet tonnages would overstate them (IPCC 2006 vol. 5
-- ch. 4, Table 4.1, gives both). Inventory rows, recovery rows and levers alike.
select
  'inventory' as used_by, source_id, activity_key, mass_basis as quantity_basis, factor_ref,
  factor_basis, count(*) as rows
from emissions
where factor_basis is not null and mass_basis is distinct from factor_basis
group by all
union all
select
  'avoided emissions', a.source_id, a.activity_key, a.mass_basis, fa.factor_ref, fa.factor_basis,
  count(*)
from activity as a
join factor_application as fa
  on fa.selection_key = 'avoided:' || a.recovery and fa.activity_key = a.activity_key
  and fa.carrier is not distinct from a.energy_carrier and fa.unit = a.unit
where fa.factor_basis is not null and a.mass_basis is distinct from fa.factor_basis
group by all
union all
select
  'lever ' || l.lever_id, null, l.activity_key, l.mass_basis, fa.factor_ref, fa.factor_basis,
  count(*)
from lever_activities as l
join factor_application as fa
  on fa.selection_key = l.activity_key and fa.activity_key = l.activity_key
  and fa.carrier is not distinct from l.carrier and fa.unit = l.unit
where fa.factor_basis is not null and l.mass_basis is distinct from fa.factor_basis
group by all

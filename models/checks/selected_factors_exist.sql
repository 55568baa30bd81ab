-- Every factor the project selects for an activity met in the inventory, the levers or the
-- recovery rows must exist in the registry it names. The failure names the project file's key
-- and where valid ids come from, since the model file it is raised in says nothing to fix.
with collected as (
  select string_agg(distinct registry_source_id, ', ' order by registry_source_id) as sources
  from factors where registry = 'base-carbone'
)
select distinct
  case
    when n.selection_key like 'avoided:%'
      then 'inventory.avoidedFactors.' || substr(n.selection_key, 9)
    else 'inventory.factors.' || n.selection_key
  end || ': factor ' || n.factor_ref || ' is not in the registry; '
    || case
      when n.factor_ref like 'local:%'
        then 'local:<id> takes the id of one of inventory.localFactors'
      when n.factor_ref like 'base-carbone:%'
        then 'a base-carbone:<id> is the "Identifiant de l''élément" of an element row in the '
          || 'Base Carbone export the cycle collected (' || coalesce(c.sources, 'none collected')
          || ')'
      else 'the registries are base-carbone and local (one stg_factors_<registry>.sql each)'
    end as problem
from factor_application as n
cross join collected as c
where n.factor_ref is not null and not n.factor_exists
order by problem

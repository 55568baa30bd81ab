-- Every factor the project selects for an activity met in the inventory, the levers or the
-- recovery rows must exist in the registry it names. The failure names the project file's key
-- and where valid ids come from, since the model file it is raised in says nothing to fix.
select distinct
  case
    when n.selection_key like 'avoided:%'
      then 'inventory.avoidedFactors.' || substr(n.selection_key, 9)
    else 'inventory.factors.' || n.selection_key
  end || ': factor ' || n.factor_ref || ' is not in the registry; '
    || case
      when n.factor_ref like 'local:%'
        then 'local:<id> takes the id of one of inventory.localFactors'
      else 'a base-carbone:<id> is the "Identifiant de l''élément" of an element row in the '
        || 'Base Carbone export the cycle collected ('
        || coalesce((select string_agg(distinct registry_source_id, ', ' order by registry_source_id)
          from factors where registry = 'base-carbone'), 'none collected') || ')'
    end as problem
from factor_application as n
where n.factor_ref is not null and not n.factor_exists
order by problem

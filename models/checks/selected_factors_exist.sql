-- Every factor the project selects for an activity met in the inventory, the levers or the
-- recovery rows must exist in the registry it names.
select distinct selection_key, factor_ref
from factor_application
where factor_ref is not null and not factor_exists

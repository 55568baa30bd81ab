-- An activity may only be multiplied by a factor expressed per the same unit.
select source_id, activity_key, unit as activity_unit, factor_ref, factor_unit
from emissions
where factor_ref is not null and factor_activity_unit is distinct from unit
  and emission_notation_key is null

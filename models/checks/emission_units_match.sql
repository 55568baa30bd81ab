-- An activity meets a factor expressed per another unit only through a declared conversion.
select selection_key, activity_key, carrier, unit as activity_unit, factor_ref, factor_unit,
  problem
from factor_application
where factor_exists and (factor_activity_unit is null or conversion_multiplier is null)

-- Every factor the project selects must exist in the registry it names.
select s.activity_key, s.factor_ref
from factor_selection as s
left join factors as f on f.factor_ref = s.factor_ref
where f.factor_ref is null
  and s.activity_key in (select distinct activity_key from activity)

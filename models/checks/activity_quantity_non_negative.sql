-- A tonnage, a consumption or a distance is never negative: a negative quantity would become
-- negative emissions and lower a total. The provider's row is wrong; it stops the run.
select
  source_id, period, activity_key, detail_key, quantity, unit,
  'source ' || source_id || ', period ' || period || ': activity ' || activity_key || ' ('
    || detail_key || ') has a negative quantity, ' || quantity || ' ' || unit
    || '; a negative tonnage or consumption never becomes negative emissions' as problem
from activity
where quantity < 0
order by source_id, period, activity_key, detail_key

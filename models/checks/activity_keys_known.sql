-- Every activity row's key is one `models/activity-keys.ts` lists: the project file's factors
-- block is checked against that list, so a staging model writing a key it lacks would leave
-- that key without a possible factor.
select distinct a.source_id, a.activity_key
from activity as a
left join activity_keys as k on k.activity_key = a.activity_key
where k.activity_key is null

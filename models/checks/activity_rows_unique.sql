-- Each activity row is named by its source, activity and detail key, so that two editions can
-- be compared row by row (activities/edition-diff.ts).
select source_id, activity_key, detail_key, count(*) as rows
from activity
group by all
having count(*) > 1

-- One line per dataset behind the inventory: who produced it, under which licence, what was
-- retrieved when, its checksum, and the factors its rows used.
select
  s.source_id,
  s.title,
  s.producer,
  s.licence,
  s.access,
  s.connector,
  p.connector_version,
  p.period,
  p.rows,
  p.sha256,
  p.retrieved_at,
  p.url,
  p.run_id,
  s.stand_in_for,
  s.stand_in_reason,
  (select string_agg(distinct e.factor_ref, ', ' order by e.factor_ref) from emissions as e
    where e.source_id = s.source_id) as factors_used
from sources as s
left join partitions as p on p.source_id = s.source_id
order by s.source_id

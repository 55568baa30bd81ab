-- The GPC sub-sectors fed by each source this edition lacks (failed or skipped by its cycle):
-- the references its rows take through its connector's staging models, run on the latest
-- partition it landed before (coverage.ts); when it never landed one, every sub-sector of its
-- domain's sector (energy I, transport II, waste III; reference and territory sources feed
-- none). A stand-in source never makes a figure incomplete: its rows are never counted.
select
  m.source_id,
  m.state,
  m.reason,
  g.gpc_ref,
  g.sector,
  case
    when m.staged_gpc_refs is not null
      then 'sub-sectors its rows of period ' || m.footprint_period || ' (run '
        || m.footprint_run_id || ') take through its staging model'
    else 'no partition landed: every sub-sector of its domain (' || s.domain || ')'
  end as rule
from missing_sources as m
join sources as s on s.source_id = m.source_id
join gpc_reference as g
  on case
    when m.staged_gpc_refs is not null
      then list_contains(string_split(m.staged_gpc_refs, ','), g.gpc_ref)
    else g.sector = case s.domain when 'energy' then 'I' when 'transport' then 'II'
      when 'waste' then 'III' end
  end
where s.stand_in_for is null
order by m.source_id, g.gpc_ref

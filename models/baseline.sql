-- The reference year's total the trajectory starts from, and where it comes from: a figure
-- the project declares with its source, or an inventory edition of the reference year
-- computed by these models — this very edition when the reporting year is the reference year.
-- An edition a failed source left incomplete gives a lower total, hence lower targets: whether
-- it was complete and the sources it lacked go with the figure (null for a declared figure,
-- whose publisher answers for it, and for an edition that did not record it).
select
  c.reference_year,
  b.kind,
  case
    when b.kind = 'edition' and c.reporting_year = c.reference_year then s.total_tco2e
    else b.tco2e
  end as baseline_tco2e,
  case
    when b.kind = 'edition' and c.reporting_year = c.reference_year
      then 'this edition: the reporting year is the reference year'
    else b.source
  end as baseline_source,
  b.edition_id as baseline_edition_id,
  b.same_models,
  case
    when b.kind = 'edition' and c.reporting_year = c.reference_year then g.estimated
    else b.estimated_subsectors
  end as baseline_estimated_subsectors,
  g.estimated as estimated_subsectors,
  case
    when b.kind = 'declared' then null
    when b.kind = 'edition' and c.reporting_year = c.reference_year then true
    else b.estimated_subsectors is not distinct from g.estimated
  end as same_coverage,
  case
    when b.kind = 'declared' then null
    when b.kind = 'edition' and c.reporting_year = c.reference_year then s.complete
    else b.complete
  end as baseline_complete,
  case
    when b.kind = 'edition' and c.reporting_year = c.reference_year then s.missing_sources
    when b.kind = 'edition' then b.missing_sources
  end as baseline_missing_sources,
  b.note
from cycle as c
cross join baseline_input as b
cross join inventory_summary as s
cross join (
  select string_agg(gpc_ref, ', ' order by gpc_ref) filter (where tco2e is not null) as estimated
  from inventory_gpc
) as g

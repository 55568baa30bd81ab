-- Savings levers: each declared scenario's baseline and scenario activities, met with the
-- factors the inventory selects for those activities, give the tCO2e a year the lever would
-- avoid, printed beside its assumptions and the inventory figure of the sub-sector it acts on.
-- A lever is indicative, and no share of the total, when that figure cannot hold its starting
-- point: the sub-sector has no estimate (its notation key instead), or a smaller one. Either
-- way the lever's emissions are not those the total counts, and a share would read as if they
-- were (`inventory_caution`).
with computed as (
  select
    l.lever_id,
    l.case_name,
    sum(l.quantity * fa.kgco2e_per_activity_unit) / 1000 as tco2e,
    bool_or(fa.kgco2e_per_activity_unit is null) as incomplete,
    string_agg(fa.problem, '; ') filter (where fa.problem is not null) as problems
  from lever_activities as l
  left join factor_application as fa
    on fa.selection_key = l.activity_key and fa.activity_key = l.activity_key
    and fa.carrier is not distinct from l.carrier and fa.unit = l.unit
  group by l.lever_id, l.case_name
),
factor_texts as (
  select lever_id, string_agg(distinct factor_text, '; ' order by factor_text) as factors_used
  from (
    select
      l.lever_id,
      l.activity_key || ': ' || fa.factor_ref || ' = ' || fa.value_kgco2e || ' ' || fa.factor_unit
        || coalesce(' (' || fa.factor_source || ')', '')
        || case when fa.conversion_multiplier <> 1 then ', via ' || fa.conversion_path else '' end
        as factor_text
    from lever_activities as l
    join factor_application as fa
      on fa.selection_key = l.activity_key and fa.activity_key = l.activity_key
      and fa.carrier is not distinct from l.carrier and fa.unit = l.unit
    where fa.factor_ref is not null
  )
  group by lever_id
)
select
  d.lever_id,
  d.title as lever,
  d.kind,
  d.assumptions,
  case when not b.incomplete then b.tco2e end as baseline_tco2e,
  case when not s.incomplete then s.tco2e end as scenario_tco2e,
  case when not (b.incomplete or s.incomplete) then b.tco2e - s.tco2e end as savings_tco2e,
  case when b.incomplete or s.incomplete then 'NE' end as notation_key,
  nullif(concat_ws('; ', b.problems, s.problems), '') as notation_reason,
  ft.factors_used,
  d.gpc_ref,
  g.tco2e as inventory_subsector_tco2e,
  g.notation_key as inventory_subsector_notation_key,
  case
    when not (b.incomplete or s.incomplete) and g.tco2e is not null and b.tco2e <= g.tco2e
      then (b.tco2e - s.tco2e) / sm.total_tco2e
  end as savings_share_of_total,
  case when not b.incomplete then b.tco2e > g.tco2e end as baseline_exceeds_inventory,
  case
    when g.tco2e is null then 'subsector-not-estimated'
    when not b.incomplete and b.tco2e > g.tco2e then 'baseline-exceeds-inventory'
  end as inventory_caution,
  case
    when g.tco2e is null
      then 'sub-sector ' || d.gpc_ref || ' has no estimate in the inventory ('
        || coalesce(g.notation_key, 'NE') || '): the lever''s emissions are in no total'
    when not b.incomplete and b.tco2e > g.tco2e
      then 'the lever''s starting point (' || round(b.tco2e, 3) || ' tCO2e) exceeds the '
        || 'inventoried figure of sub-sector ' || d.gpc_ref || ' (' || round(g.tco2e, 3)
        || ' tCO2e)'
  end as inventory_caution_reason
from lever_declarations as d
join computed as b on b.lever_id = d.lever_id and b.case_name = 'baseline'
join computed as s on s.lever_id = d.lever_id and s.case_name = 'scenario'
left join factor_texts as ft on ft.lever_id = d.lever_id
left join inventory_gpc as g on g.gpc_ref = d.gpc_ref
cross join inventory_summary as sm
order by d.position

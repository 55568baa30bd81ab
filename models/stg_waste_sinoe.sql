-- Recycling-centre tonnages of the territory's département, downscaled to the territory by
-- its share of the département's population, as collected (wet weight). Material recovery is
-- no GPC III emission source: its tonnage is a memo item outside the inventory (recycling's
-- process emissions belong to the sector that recycles, which this inventory does not
-- estimate), never IE. Unspecified treatments meet no sub-sector and stay not estimated.
-- Recovery (material, energy) is flagged so that the emissions it avoids are reported apart.
-- TODO(inventory): SINOE does not say where the waste is treated; all of it is reported as
-- treated inside the boundary (III.x.1), none as treated outside (III.x.2, scope 3).
-- TODO(inventory): organic recovery (compost replacing fertiliser) avoids nothing here yet.
with mapped as (
  select
    r.*,
    case r.waste_code
      when '02A' then 'hazardous' when '02B' then 'recyclables' when '02C' then 'green-waste'
      when '02D' then 'bulky' when '02E' then 'rubble' when '02F' then 'weee' else 'other'
    end as waste_stream,
    case r.treatment_code
      when '02A' then 'material-recovery' when '02B' then 'incineration-energy-recovery'
      when '02C' then 'incineration' when '02D' then 'landfill' when '02E' then 'organic-recovery'
      when '02F' then 'inert-landfill' else 'unspecified'
    end as waste_treatment,
    case
      when r.treatment_code in ('02B', '02C') then 'III.3.1'
      when r.treatment_code in ('02D', '02F') then 'III.1.1'
      when r.treatment_code = '02E' then 'III.2.1'
    end as gpc_ref,
    case
      when r.treatment_code in ('02B', '02C') and r.waste_code = '02A'
        then 'waste-incineration-hazardous'
      when r.treatment_code in ('02B', '02C') then 'waste-incineration-non-hazardous'
      when r.treatment_code = '02D' and r.waste_code = '02A' then 'waste-landfill-hazardous'
      -- Rubble is inert wherever it is stored; other waste in an inert landfill is reported so.
      when r.treatment_code in ('02D', '02F') and r.waste_code = '02E' then 'waste-landfill-inert'
      when r.treatment_code = '02D' then 'waste-landfill-non-hazardous'
      when r.treatment_code = '02F' then 'waste-landfill-inert'
      when r.treatment_code = '02E' and r.waste_code = '02C' then 'waste-composting-green'
      when r.treatment_code = '02E' then 'waste-organic-recovery-other'
      when r.treatment_code = '02A' then 'waste-material-recovery'
      else 'waste-treatment-unspecified'
    end as activity_key
  from raw_sinoe_waste as r
)
select
  m.source_id,
  m.period,
  m.run_id,
  m.year as data_year,
  'epci' as geography_level,
  t.epci as geography_code,
  m.gpc_ref,
  'waste' as pcaet_sector,
  1 as scope,
  m.activity_key,
  m.waste_stream,
  m.waste_treatment,
  case m.waste_treatment
    when 'material-recovery' then 'material-recovery'
    when 'incineration-energy-recovery' then 'energy-recovery'
  end as recovery,
  m.tonnes * d.population_share as quantity,
  't' as unit,
  'wet' as mass_basis,
  case
    when m.tonnes_flag is not null then 'NE'
    when m.activity_key = 'waste-treatment-unspecified' then 'NE'
  end as notation_key,
  case
    when m.tonnes_flag is not null then 'provider: tonnage ' || m.tonnes_flag
    when m.activity_key = 'waste-treatment-unspecified'
      then 'treatment not specified by the provider: no GPC III sub-sector or factor applies'
  end as notation_reason,
  case
    when m.activity_key = 'waste-material-recovery'
      then 'memo item: material recovery is not a GPC III emission source; recycling''s process '
        || 'emissions belong to the sector that recycles, not estimated here'
  end as outside_inventory,
  'downscaled' as quality,
  cast(null as integer) as delivery_points,
  m.department_code || '|' || m.waste_code || '|' || m.treatment_code as detail_key,
  m.waste_label || ' — ' || m.treatment_label || ', ' || round(m.tonnes, 3) || ' t in département '
    || m.department_code || ' × ' || round(d.population_share, 6) as note
from mapped as m
cross join territory as t
join downscaling as d on m.department_code = d.area_code

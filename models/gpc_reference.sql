-- The GPC BASIC sub-sectors an inventory must report, each with a notation key when no data
-- covers it. Scope 1 is fuel burned inside the boundary, scope 2 grid-supplied energy.
select * from (values
  ('I', 'Stationary energy', 'I.1.1', 'Residential buildings — fuel combustion', 1, 'residential'),
  ('I', 'Stationary energy', 'I.1.2', 'Residential buildings — grid energy', 2, 'residential'),
  ('I', 'Stationary energy', 'I.2.1', 'Commercial and institutional — fuel combustion', 1, 'tertiary'),
  ('I', 'Stationary energy', 'I.2.2', 'Commercial and institutional — grid energy', 2, 'tertiary'),
  ('I', 'Stationary energy', 'I.3.1', 'Manufacturing — fuel combustion', 1, 'industry'),
  ('I', 'Stationary energy', 'I.3.2', 'Manufacturing — grid energy', 2, 'industry'),
  ('I', 'Stationary energy', 'I.4.1', 'Energy industries — fuel combustion', 1, 'energy-branch'),
  ('I', 'Stationary energy', 'I.5.1', 'Agriculture, forestry, fishing — fuel combustion', 1, 'agriculture'),
  ('I', 'Stationary energy', 'I.5.2', 'Agriculture, forestry, fishing — grid energy', 2, 'agriculture'),
  ('I', 'Stationary energy', 'I.6.1', 'Non-specified — fuel combustion', 1, 'unspecified'),
  ('I', 'Stationary energy', 'I.6.2', 'Non-specified — grid energy', 2, 'unspecified'),
  ('II', 'Transportation', 'II.1.1', 'On-road', 1, 'road-transport'),
  ('II', 'Transportation', 'II.2.1', 'Railways', 1, 'other-transport'),
  ('II', 'Transportation', 'II.3.1', 'Waterborne navigation', 1, 'other-transport'),
  ('II', 'Transportation', 'II.4.1', 'Aviation', 1, 'other-transport'),
  ('II', 'Transportation', 'II.5.1', 'Off-road', 1, 'other-transport'),
  ('III', 'Waste', 'III.1.1', 'Solid waste disposal', 1, 'waste'),
  ('III', 'Waste', 'III.2.1', 'Biological treatment', 1, 'waste'),
  ('III', 'Waste', 'III.3.1', 'Incineration and open burning', 1, 'waste'),
  ('III', 'Waste', 'III.4.1', 'Wastewater', 1, 'waste')
) as reference(sector, sector_name, gpc_ref, subsector_name, scope, pcaet_sector)

-- The GPC BASIC sub-sectors an inventory reports, each with a notation key when no data covers
-- it. Scope 1 is emitted inside the boundary, scope 2 is grid-supplied energy, and the waste
-- sector's scope 3 is waste generated inside the boundary and treated outside it. `subsector_label`
-- is the sub-sector's name in the reports' language (French).
select * from (values
  ('I', 'Stationary energy', 'I.1.1', 'Residential buildings — fuel combustion', 1, 'residential', 'Bâtiments résidentiels — combustion'),
  ('I', 'Stationary energy', 'I.1.2', 'Residential buildings — grid energy', 2, 'residential', 'Bâtiments résidentiels — énergie de réseau'),
  ('I', 'Stationary energy', 'I.2.1', 'Commercial and institutional — fuel combustion', 1, 'tertiary', 'Tertiaire et bâtiments publics — combustion'),
  ('I', 'Stationary energy', 'I.2.2', 'Commercial and institutional — grid energy', 2, 'tertiary', 'Tertiaire et bâtiments publics — énergie de réseau'),
  ('I', 'Stationary energy', 'I.3.1', 'Manufacturing — fuel combustion', 1, 'industry', 'Industrie manufacturière — combustion'),
  ('I', 'Stationary energy', 'I.3.2', 'Manufacturing — grid energy', 2, 'industry', 'Industrie manufacturière — énergie de réseau'),
  ('I', 'Stationary energy', 'I.4.1', 'Energy industries — fuel combustion', 1, 'energy-branch', 'Industries de l''énergie — combustion'),
  ('I', 'Stationary energy', 'I.4.2', 'Energy industries — grid energy', 2, 'energy-branch', 'Industries de l''énergie — énergie de réseau'),
  ('I', 'Stationary energy', 'I.5.1', 'Agriculture, forestry, fishing — fuel combustion', 1, 'agriculture', 'Agriculture, sylviculture, pêche — combustion'),
  ('I', 'Stationary energy', 'I.5.2', 'Agriculture, forestry, fishing — grid energy', 2, 'agriculture', 'Agriculture, sylviculture, pêche — énergie de réseau'),
  ('I', 'Stationary energy', 'I.6.1', 'Non-specified — fuel combustion', 1, 'unspecified', 'Sources non spécifiées — combustion'),
  ('I', 'Stationary energy', 'I.6.2', 'Non-specified — grid energy', 2, 'unspecified', 'Sources non spécifiées — énergie de réseau'),
  ('II', 'Transportation', 'II.1.1', 'On-road — fuel combustion', 1, 'road-transport', 'Routier — combustion'),
  ('II', 'Transportation', 'II.1.2', 'On-road — grid energy', 2, 'road-transport', 'Routier — énergie de réseau'),
  ('II', 'Transportation', 'II.2.1', 'Railways — fuel combustion', 1, 'other-transport', 'Ferroviaire — combustion'),
  ('II', 'Transportation', 'II.2.2', 'Railways — grid energy', 2, 'other-transport', 'Ferroviaire — énergie de réseau'),
  ('II', 'Transportation', 'II.3.1', 'Waterborne navigation — fuel combustion', 1, 'other-transport', 'Navigation — combustion'),
  ('II', 'Transportation', 'II.3.2', 'Waterborne navigation — grid energy', 2, 'other-transport', 'Navigation — énergie de réseau'),
  ('II', 'Transportation', 'II.4.1', 'Aviation — fuel combustion', 1, 'other-transport', 'Aviation — combustion'),
  ('II', 'Transportation', 'II.4.2', 'Aviation — grid energy', 2, 'other-transport', 'Aviation — énergie de réseau'),
  ('II', 'Transportation', 'II.5.1', 'Off-road — fuel combustion', 1, 'other-transport', 'Engins hors route — combustion'),
  ('II', 'Transportation', 'II.5.2', 'Off-road — grid energy', 2, 'other-transport', 'Engins hors route — énergie de réseau'),
  ('III', 'Waste', 'III.1.1', 'Solid waste disposal — treated in the boundary', 1, 'waste', 'Stockage des déchets solides — traités sur le territoire'),
  ('III', 'Waste', 'III.1.2', 'Solid waste disposal — treated outside', 3, 'waste', 'Stockage des déchets solides — traités hors du territoire'),
  ('III', 'Waste', 'III.2.1', 'Biological treatment — treated in the boundary', 1, 'waste', 'Traitement biologique — traités sur le territoire'),
  ('III', 'Waste', 'III.2.2', 'Biological treatment — treated outside', 3, 'waste', 'Traitement biologique — traités hors du territoire'),
  ('III', 'Waste', 'III.3.1', 'Incineration and open burning — treated in the boundary', 1, 'waste', 'Incinération et brûlage — traités sur le territoire'),
  ('III', 'Waste', 'III.3.2', 'Incineration and open burning — treated outside', 3, 'waste', 'Incinération et brûlage — traités hors du territoire'),
  ('III', 'Waste', 'III.4.1', 'Wastewater — treated in the boundary', 1, 'waste', 'Eaux usées — traitées sur le territoire'),
  ('III', 'Waste', 'III.4.2', 'Wastewater — treated outside', 3, 'waste', 'Eaux usées — traitées hors du territoire')
) as reference(sector, sector_name, gpc_ref, subsector_name, scope, pcaet_sector, subsector_label)

-- The sectors of French PCAET reporting (arrêté of 4 August 2016 on climate-air-energy
-- plans), with their labels as plans print them. `unspecified` holds what a provider does not
-- assign to a sector; it is not a PCAET sector and is reported so.
select * from (values
  ('residential', 'Résidentiel', 1),
  ('tertiary', 'Tertiaire', 2),
  ('road-transport', 'Transport routier', 3),
  ('other-transport', 'Autres transports', 4),
  ('agriculture', 'Agriculture', 5),
  ('waste', 'Déchets', 6),
  ('industry', 'Industrie hors branche énergie', 7),
  ('energy-branch', 'Branche énergie', 8),
  ('unspecified', 'Non affecté à un secteur', 9)
) as sectors(pcaet_sector, pcaet_label, pcaet_order)

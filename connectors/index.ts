import type { z } from 'zod';
import { baseCarbone } from './base-carbone.js';
import type { AnyConnector } from './contract.js';
import { dataFair } from './data-fair.js';
import { enedisResidentialEpci } from './enedis-residential-epci.js';
import { fileDrop } from './file-drop.js';
import { gbfs } from './gbfs.js';
import { gbfsVehicleStatus } from './gbfs-vehicle-status.js';
import { gtfsVehicleKm } from './gtfs-vehicle-km.js';
import { httpJson } from './http-json.js';
import { laRochelleCommunes } from './larochelle-communes.js';
import { opendatasoft } from './opendatasoft.js';
import { opendatasoftV1 } from './opendatasoft-v1.js';
import { oreCommuneConsumption } from './ore-commune-consumption.js';
import { sdesHeatIris } from './sdes-heat-iris.js';
import { sinoeWaste } from './sinoe-waste.js';

/** Every connector terreze ships, by id, and their parameter schemas for `loadProject`. */

const all: readonly AnyConnector[] = [
  oreCommuneConsumption,
  enedisResidentialEpci,
  sdesHeatIris,
  gtfsVehicleKm,
  sinoeWaste,
  baseCarbone,
  httpJson,
  fileDrop,
  opendatasoft,
  opendatasoftV1,
  dataFair,
  gbfs,
  laRochelleCommunes,
  gbfsVehicleStatus,
  // terreze connector new: registrations above this line
];

export const connectors: ReadonlyMap<string, AnyConnector> = new Map(
  all.map((connector) => [connector.id, connector]),
);

export const paramSchemas: ReadonlyMap<string, z.ZodType> = new Map(
  all.map((connector) => [connector.id, connector.params]),
);

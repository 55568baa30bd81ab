import { type Simulator, startSimulator } from '../../simulator/index.js';
import { providerDataDir } from './provider-data.js';

/** Starts the simulator over the real provider files (or `dataDir`) on a free port. */
export function startTestSimulator(dataDir = providerDataDir()): Promise<Simulator> {
  return startSimulator({ dataDir, port: 0 });
}

export const orePortal = '/agenceore/api/explore/v2.1';
export const enedisPortal = '/enedis/api/explore/v2.1';
export const oreDataset = 'conso-elec-gaz-annuelle-par-secteur-dactivite-agregee-commune';
export const enedisDataset = 'consommation-electrique-residentielle-par-epci';

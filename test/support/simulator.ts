import { type Simulator, startSimulator } from '../../simulator/index.js';
import { providerDataDir } from './provider-data.js';

/**
 * Starts the simulator over the real provider files on a free port, or over `dataDir`, a
 * scratch folder holding only the files a test edited.
 */
export function startTestSimulator(dataDir?: string): Promise<Simulator> {
  return startSimulator({
    dataDir: dataDir ?? providerDataDir(),
    port: 0,
    partialData: dataDir !== undefined,
  });
}

export const orePortal = '/agenceore/api/explore/v2.1';
export const enedisPortal = '/enedis/api/explore/v2.1';
export const oreDataset = 'conso-elec-gaz-annuelle-par-secteur-dactivite-agregee-commune';
export const enedisDataset = 'consommation-electrique-residentielle-par-epci';

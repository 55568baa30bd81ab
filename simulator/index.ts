export {
  MissingDataFileError,
  ProviderDataError,
  providerDataVariable,
  servedFiles,
} from './data-files.js';
export type { Fault, FaultController } from './faults.js';
export {
  defaultYeloApiKey,
  type Simulator,
  type SimulatorOptions,
  startSimulator,
} from './server.js';

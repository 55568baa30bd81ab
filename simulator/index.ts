export type { Fault, FaultController } from './faults.js';
export {
  defaultYeloApiKey,
  type Simulator,
  type SimulatorOptions,
  startSimulator,
} from './server.js';

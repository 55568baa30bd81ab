export type { Fault, FaultController } from './faults.js';
export { type Simulator, type SimulatorOptions, startSimulator } from './server.js';

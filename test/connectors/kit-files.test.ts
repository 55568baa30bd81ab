import { describeConnectorKit } from './kit.js';
import { builtInCases } from './kit-cases.js';

// The connectors that read provider files; kit-apis.test.ts has those that page through APIs.
const files = [
  'sinoe-waste',
  'sdes-heat-iris',
  'gtfs-vehicle-km',
  'base-carbone',
  'file-drop',
  'larochelle-communes',
];
for (const kitCase of builtInCases.filter((item) => files.includes(item.connector.id))) {
  describeConnectorKit(kitCase);
}

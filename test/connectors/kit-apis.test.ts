import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { connectors } from '../../connectors/index.js';
import { describeConnectorKit } from './kit.js';
import { builtInCases } from './kit-cases.js';

// The connectors that page through APIs; kit-files.test.ts has those that read provider files.
const files = [
  'sinoe-waste',
  'sdes-heat-iris',
  'gtfs-vehicle-km',
  'base-carbone',
  'file-drop',
  'larochelle-communes',
];
for (const kitCase of builtInCases.filter((item) => !files.includes(item.connector.id))) {
  describeConnectorKit(kitCase);
}

describe('the connector kit', () => {
  it('covers every registered connector, in kit-cases.ts or in a <id>.kit.test.ts of its own', () => {
    const ownFiles = readdirSync(import.meta.dirname)
      .filter((name) => name.endsWith('.kit.test.ts'))
      .map((name) => name.replace('.kit.test.ts', ''));
    const covered = new Set([...builtInCases.map((item) => item.connector.id), ...ownFiles]);
    expect([...connectors.keys()].filter((id) => !covered.has(id))).toEqual([]);
  });
});

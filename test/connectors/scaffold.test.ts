import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { scaffoldConnector, withSortedImport } from '../../cli/commands/connector-new.js';
import { packageRoot } from '../../cli/context.js';

const run = promisify(execFile);

/** `terreze connector new`, in a copy of the files it reads and writes. */
describe('the connector scaffold', () => {
  const root = mkdtempSync(join(tmpdir(), 'terreze-scaffold-'));
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('writes files that pass biome check as written, the import sorted among the others', async () => {
    cpSync(join(packageRoot, 'connectors', 'templates'), join(root, 'connectors', 'templates'), {
      recursive: true,
    });
    cpSync(join(packageRoot, 'connectors', 'index.ts'), join(root, 'connectors', 'index.ts'));
    cpSync(join(packageRoot, 'biome.json'), join(root, 'biome.json'));
    mkdirSync(join(root, 'test', 'connectors'), { recursive: true });

    const written = scaffoldConnector('my-provider', root);

    const registry = readFileSync(join(root, 'connectors', 'index.ts'), 'utf8').split('\n');
    expect(registry.slice(10, 13)).toEqual([
      "import { laRochelleCommunes } from './larochelle-communes.js';",
      "import { myProvider } from './my-provider.js';",
      "import { opendatasoft } from './opendatasoft.js';",
    ]);
    const biome = join(packageRoot, 'node_modules', '.bin', 'biome');
    const checked = await run(biome, ['check', ...written], { cwd: root });
    expect(checked.stderr).toContain('Checked 3 files');
  }, 60_000);

  it('puts an import sorting after every other relative import last among them', () => {
    const registry = "import type { z } from 'zod';\nimport { a } from './a.js';\n\nconst x = 1;\n";
    expect(withSortedImport(registry, 'zz', "import { zz } from './zz.js';")).toBe(
      "import type { z } from 'zod';\nimport { a } from './a.js';\n" +
        "import { zz } from './zz.js';\n\nconst x = 1;\n",
    );
  });
});

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectors } from '../../connectors/index.js';
import { UsageError } from '../../temporal/errors.js';
import { packageRoot } from '../context.js';

/** `terreze connector new <name>`: a connector and its kit test from the templates, registered. */

const idPattern = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const registrationMarker = '  // terreze connector new: registrations above this line';

function camel(id: string): string {
  return id.replace(/-([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

/** The key Biome sorts relative imports on: the path without `./` and `.js`. */
function importKey(line: string): string | undefined {
  return /^import (?:type )?\{[^}]*\} from '\.\/(.+)\.js';$/.exec(line)?.[1];
}

/**
 * The registry with the new import where Biome's import sorting puts it, so that the file
 * passes `biome check` as written: before the first relative import whose path sorts after it.
 */
export function withSortedImport(registry: string, id: string, importLine: string): string {
  const lines = registry.split('\n');
  const relative = lines.flatMap((line, index) => {
    const key = importKey(line);
    return key === undefined ? [] : [{ index, key }];
  });
  const next = relative.find((entry) => entry.key > id);
  const at = next?.index ?? (relative.at(-1)?.index ?? -1) + 1;
  lines.splice(at, 0, importLine);
  return lines.join('\n');
}

/** Writes the connector and its kit test from the templates, and registers it. */
export function scaffoldConnector(id: string, root = packageRoot): string[] {
  if (!idPattern.test(id)) {
    throw new UsageError(
      `a connector name is lower-case words joined by dashes, such as my-provider; got "${id}"`,
      { id },
    );
  }
  if (connectors.has(id)) throw new UsageError(`connector ${id} exists already`, { id });
  const constant = camel(id);
  const fill = (template: string) =>
    readFileSync(join(root, 'connectors', 'templates', template), 'utf8')
      .replaceAll('__ID__', id)
      .replaceAll('__CONST__', constant)
      .replaceAll('__TYPE__', constant[0]!.toUpperCase() + constant.slice(1))
      .replaceAll('__TITLE__', id.replaceAll('-', ' '));
  const connectorFile = join(root, 'connectors', `${id}.ts`);
  const testFile = join(root, 'test', 'connectors', `${id}.kit.test.ts`);
  for (const file of [connectorFile, testFile]) {
    if (existsSync(file)) throw new UsageError(`${file} exists already`, { id, file });
  }
  writeFileSync(connectorFile, fill('connector.ts.txt'));
  writeFileSync(testFile, fill('kit.test.ts.txt'));

  const registry = join(root, 'connectors', 'index.ts');
  const importLine = `import { ${constant} } from './${id}.js';`;
  const registered = withSortedImport(readFileSync(registry, 'utf8'), id, importLine).replace(
    registrationMarker,
    `  ${constant},\n${registrationMarker}`,
  );
  writeFileSync(registry, registered);
  return [connectorFile, testFile, registry];
}

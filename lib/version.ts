import { readFileSync } from 'node:fs';

/** The version of terreze that produced an output, recorded in every edition manifest. */
export const codeVersion: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

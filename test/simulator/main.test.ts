import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { providerDataDir } from '../support/provider-data.js';

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

describe('simulator/main.ts', () => {
  it('prints the URL it listens on and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'simulator/main.ts'], {
      cwd: repositoryRoot,
      env: {
        ...process.env,
        TERREZE_PROVIDER_DATA: providerDataDir(),
        TERREZE_SIMULATOR_PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
      const url = chunk.toString('utf8').trim();
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const response = await fetch(`${url}/sdes/reseaux-chaleur-froid-iris/2023.csv`);
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });
});

import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../cli/context.js';
import { loadSettings } from '../../config/settings.js';

/** Where a terreze process keeps and finds its folders, whatever directory it starts from. */
describe('settings of a terreze process', () => {
  const elsewhere = resolve('/srv/operator');

  it('reads the default folders from the installation, not from the current directory', () => {
    const settings = loadSettings({}, elsewhere);
    expect([settings.providerDataDir, settings.homeDir]).toEqual([
      resolve(packageRoot, '../shared/data'),
      join(packageRoot, 'var'),
    ]);
  });

  it('reads a relative folder given in the environment from the current directory', () => {
    const settings = loadSettings(
      { TERREZE_HOME: 'state', TERREZE_PROVIDER_DATA: '../providers' },
      elsewhere,
    );
    expect([settings.providerDataDir, settings.homeDir]).toEqual([
      resolve(elsewhere, '../providers'),
      join(elsewhere, 'state'),
    ]);
  });

  it('keeps an absolute folder as it is, and names a malformed Web UI address', () => {
    expect(loadSettings({ TERREZE_HOME: '/var/lib/terreze' }, elsewhere).homeDir).toBe(
      '/var/lib/terreze',
    );
    expect(() => loadSettings({ TEMPORAL_UI_URL: '127.0.0.1:8233' }, elsewhere)).toThrow(
      'invalid configuration in environment\n  environment TEMPORAL_UI_URL: an http:// or https:// URL',
    );
  });
});

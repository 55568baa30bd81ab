import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { demoProjectFile } from '../../cli/context.js';
import { freePort } from '../../temporal/dev-server.js';
import { terreze } from './run-terreze.js';

/** What the command says, and how it exits, when what it is asked cannot be done. */
describe('messages of the terreze command', () => {
  const nextYear = new Date().getFullYear() + 1;

  it.concurrent('exits 2 on a reporting year after the current one, before reaching Temporal', async () => {
    const run = await terreze(['run', 'cycle', '--year', String(nextYear)], {
      environment: { TERREZE_SIMULATOR_URL: 'http://127.0.0.1:9' },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `error: option '--year <year>' argument '${nextYear}' is invalid. expected a reporting ` +
        `year no later than the current year, ${nextYear - 1}: ${nextYear} has no data yet\n`,
    );
  });

  it.concurrent('exits 2 on a collection without a year or period, 3 on a period the source lacks', async () => {
    const environment = { TERREZE_SIMULATOR_URL: 'http://127.0.0.1:9' };
    const [none, missing, snapshot] = await Promise.all([
      terreze(['collect', 'transit-gtfs'], { environment }),
      terreze(['collect', 'transit-gtfs', '--period', '2015'], { environment }),
      terreze(['collect', 'base-carbone', '--period', '2023'], { environment }),
    ]);
    expect([none.code, none.stderr]).toEqual([
      2,
      'terreze: collect needs --year <year> or --period <period>, e.g. collect transit-gtfs --year 2023\n',
    ]);
    expect([missing.code, missing.stderr]).toEqual([
      3,
      "terreze: transit-gtfs has no period 2015 (vintages: 2016, 2017); add it to the source's " +
        'vintages in the project file to collect it\n',
    ]);
    expect([snapshot.code, snapshot.stderr]).toEqual([
      3,
      'terreze: base-carbone is a snapshot source: its only period is current, not 2023\n',
    ]);
  });

  it.concurrent('names a variable the project file needs once, with what to do', async () => {
    const run = await terreze(['check'], { environment: { TERREZE_SIMULATOR_URL: '' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      new RegExp(
        `^invalid configuration in ${demoProjectFile}\\n` +
          `  ${demoProjectFile}:\\d+ sources\\[0\\]\\.params\\.baseUrl: environment variable ` +
          'TERREZE_SIMULATOR_URL to be set \\(used 5 times, first here\\): start `terreze ' +
          'simulator` and export the URL it prints\\n$',
      ),
    );
  });

  it.concurrent('says how to get a Temporal server when a worker finds none', async () => {
    const address = `127.0.0.1:${await freePort()}`;
    const run = await terreze(['worker'], {
      environment: { TEMPORAL_ADDRESS: address, TERREZE_SIMULATOR_URL: 'http://127.0.0.1:9' },
    });
    expect(run.code).toBe(4);
    expect(run.stderr).toBe(
      `terreze: cannot reach Temporal at ${address} (connection refused: nothing listens on ` +
        'that port). Start the embedded server with `terreze server` (it listens on ' +
        '127.0.0.1:7233), or set TEMPORAL_ADDRESS to the host:port of your cluster\n',
    );
  });

  it.concurrent('exits 3 on a source to backfill that the project does not declare', async () => {
    const run = await terreze(['backfill', 'gas-grid', '--from', '2020', '--to', '2021'], {
      environment: {
        TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
        TERREZE_SIMULATOR_URL: 'http://127.0.0.1:9',
      },
    });
    expect(run.code).toBe(3);
    expect(run.stderr).toBe(
      'terreze: nothing called "gas-grid" to backfill; one of: cycle, ' +
        'enedis-residential-electricity, sdes-heat-networks, transit-gtfs, ' +
        'sinoe-recycling-centres, base-carbone\n',
    );
  });

  it.concurrent('refuses an empty task queue name when parsing, before loading anything', async () => {
    const run = await terreze(['worker', '--task-queue', '']);
    expect([run.code, run.stderr]).toEqual([
      2,
      "error: option '--task-queue <names...>' argument '' is invalid. expected a task queue " +
        'name such as terreze, got an empty text\n',
    ]);
  });

  it.concurrent('exits 3 on a source to check that the project lacks, listing its sources', async () => {
    const environment = { TERREZE_SIMULATOR_URL: 'http://127.0.0.1:9' };
    const [check, discover] = await Promise.all([
      terreze(['connector', 'check', 'nope'], { environment }),
      terreze(['connector', 'discover', 'nope'], { environment }),
    ]);
    const message =
      `terreze: no source "nope" in ${demoProjectFile}; sources: ` +
      'enedis-residential-electricity, sdes-heat-networks, transit-gtfs, ' +
      'sinoe-recycling-centres, base-carbone\n';
    expect([check.code, check.stderr]).toEqual([3, message]);
    expect([discover.code, discover.stderr]).toEqual([3, message]);
  });

  it.concurrent('exits 2 on a connector name that is not lower-case words joined by dashes', async () => {
    const run = await terreze(['connector', 'new', 'My_Provider']);
    expect([run.code, run.stderr]).toEqual([
      2,
      'terreze: a connector name is lower-case words joined by dashes, such as my-provider; ' +
        'got "My_Provider"\n',
    ]);
  });

  it.concurrent('exits 2 on a backfill range whose end comes before its start, naming both', async () => {
    const run = await terreze(
      ['backfill', 'sdes-heat-networks', '--from', '2023', '--to', '2019', '--dry-run'],
      {
        environment: {
          TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
          TERREZE_SIMULATOR_URL: 'http://127.0.0.1:9',
        },
      },
    );
    expect([run.code, run.stderr]).toEqual([
      2,
      'terreze: --from 2023 comes after --to 2019: give the earlier date as --from, ' +
        'e.g. --from 2019 --to 2023\n',
    ]);
  });

  it.concurrent('says what inventory show needs when given neither an edition nor a year', async () => {
    const [neither, both] = await Promise.all([
      terreze(['inventory', 'show']),
      terreze(['inventory', 'show', '2023-abc', '--year', '2023']),
    ]);
    expect([neither.code, neither.stderr]).toEqual([
      2,
      'terreze: inventory show needs an edition id or --year <year>, e.g. inventory show ' +
        '--year 2023; terreze inventory list shows the editions\n',
    ]);
    expect([both.code, both.stderr]).toEqual([
      2,
      'terreze: name an edition or give --year, not both\n',
    ]);
  });

  it.concurrent('refuses a port in use for the simulator and the preview before starting them', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = String((taken.address() as { port: number }).port);
    try {
      const [simulator, preview] = await Promise.all([
        terreze(['simulator', '--port', port]),
        terreze(['report', 'preview', 'committee', '--port', port]),
      ]);
      const refusal = `terreze: port ${port} is in use; choose another with --port\n`;
      expect([simulator.code, simulator.stderr]).toEqual([2, refusal]);
      expect([preview.code, preview.stderr]).toEqual([2, refusal]);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});

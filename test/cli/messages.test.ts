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
});

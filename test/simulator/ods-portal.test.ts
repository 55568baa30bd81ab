import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../simulator/index.js';
import { providerFile } from '../support/provider-data.js';
import {
  enedisDataset,
  enedisPortal,
  oreDataset,
  orePortal,
  startTestSimulator,
} from '../support/simulator.js';

let simulator: Simulator;
const oreRecords = () => `${simulator.url}${orePortal}/catalog/datasets/${oreDataset}/records`;

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  simulator = await startTestSimulator();
});

afterAll(async () => {
  await simulator.close();
});

describe('simulated Opendatasoft portals', () => {
  it('lists each portal’s dataset with its fields', async () => {
    const ore = await getJson(`${simulator.url}${orePortal}/catalog/datasets`);
    expect(ore.body.total_count).toBe(1);
    const [dataset] = ore.body.results as { dataset_id: string; fields: { name: string }[] }[];
    expect(dataset!.dataset_id).toBe(oreDataset);
    expect(dataset!.fields).toHaveLength(36);
    expect(dataset!.fields.map((field) => field.name).slice(0, 5)).toEqual([
      'operateur',
      'annee',
      'filiere',
      'consoa',
      'pdla',
    ]);

    const enedis = await getJson(
      `${simulator.url}${enedisPortal}/catalog/datasets/${enedisDataset}`,
    );
    const fields = enedis.body.fields as { name: string; label: string; type: string }[];
    expect(fields.find((field) => field.name === 'conso_totale_mwh')).toEqual({
      name: 'conso_totale_mwh',
      label: 'Consommation totale (MWh)',
      type: 'double',
    });
    expect(fields.map((field) => field.name)).toContain('nombre_d_habitants');
  });

  it('pages records ten at a time by default and reports the total', async () => {
    const first = await getJson(oreRecords());
    expect(first.body.total_count).toBe(1575);
    expect(first.body.results).toHaveLength(10);

    // 1,575 rows in the file (wc -l minus the header): a page from 1,500 holds the last 75.
    const last = await getJson(`${oreRecords()}?limit=100&offset=1500`);
    expect(last.body.results).toHaveLength(75);
  });

  it('refuses a limit above 100 and a page reaching record 10,000 with the ODS error shape', async () => {
    const tooLarge = await getJson(`${oreRecords()}?limit=101`);
    expect(tooLarge.status).toBe(400);
    expect(tooLarge.body.error_code).toBe('InvalidRESTParameterError');
    expect(tooLarge.body.message).toMatch(/limit/);

    const tooFar = await getJson(`${oreRecords()}?limit=100&offset=9900`);
    expect(tooFar.status).toBe(400);
    expect(tooFar.body.error_code).toBe('InvalidRESTParameterError');

    const lastAllowed = await getJson(`${oreRecords()}?limit=99&offset=9900`);
    expect(lastAllowed.status).toBe(200);
    expect(lastAllowed.body.results).toEqual([]);
  });

  it('filters with repeated refine and keeps only selected fields', async () => {
    // awk -F';' '$30=="62" && $32=="32"' on the ORE file: 302 communes of Pas-de-Calais.
    const refined = await getJson(
      `${oreRecords()}?limit=2&refine=code_departement:62&refine=code_region:32&select=code_commune,consototale`,
    );
    expect(refined.body.total_count).toBe(302);
    const [row] = refined.body.results as Record<string, unknown>[];
    expect(Object.keys(row!)).toEqual(['code_commune', 'consototale']);

    const unknown = await getJson(`${oreRecords()}?refine=nope:1`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error_code).toBe('ODSQLError');
  });

  it('answers numbers as JSON numbers with their binary noise intact', async () => {
    // Line 9 of the ORE file: commune 61454, "Consommation totale (MWh)" 2437.9100000000003.
    const { body } = await getJson(`${oreRecords()}?refine=code_commune:61454`);
    const [row] = body.results as Record<string, unknown>[];
    expect(row!.consototale).toBe(2437.9100000000003);
    expect(row!.pdlr).toBe(375);
    expect(row!.code_commune).toBe('61454');
  });

  it('exports CSV with a byte-order mark, `;`, names or labels, and CRLF', async () => {
    const base = `${simulator.url}${orePortal}/catalog/datasets/${oreDataset}/exports/csv`;
    const response = await fetch(base);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(response.headers.get('content-length')).toBe(String(bytes.byteLength));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.subarray(3)).split('\r\n');
    expect(lines[0]!.split(';').slice(-3)).toEqual(['id_filiere', 'consototale', 'code_postal']);
    // 1,575 records, a header and the empty string after the final CRLF.
    expect(lines).toHaveLength(1577);

    const labelled = await (
      await fetch(`${base}?use_labels=true&refine=code_commune:61454`)
    ).text();
    const fileHeader = (
      await readFile(
        providerFile('energy/ore_conso_elec_gaz_commune_labels_header_chunk10.csv'),
        'utf8',
      )
    ).split('\r\n')[0];
    const [header, record] = labelled.replace(/^\uFEFF/, '').split('\r\n');
    expect(header).toBe(fileHeader);
    expect(record).toContain(';2437.9100000000003;61170');
  });

  it('exports JSON as an array of flat records', async () => {
    const url = `${simulator.url}${enedisPortal}/catalog/datasets/${enedisDataset}/exports/json?refine=code_epci:241700434`;
    const rows = (await (await fetch(url)).json()) as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      code_epci: '241700434',
      nom_epci: 'CA de La Rochelle',
      nb_sites: 108817,
      conso_totale_mwh: 441735.519,
      nombre_d_habitants: 175608,
    });
  });

  it('answers 404 for an unknown dataset', async () => {
    const { status, body } = await getJson(`${simulator.url}${orePortal}/catalog/datasets/nope`);
    expect(status).toBe(404);
    expect(body.message).toBe('Unknown dataset: nope');
  });
});

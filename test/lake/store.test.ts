import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Field, Float64, Schema, Utf8 } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import type { PartitionManifest } from '../../lake/manifest.js';
import { writeParquetFile } from '../../lake/parquet.js';
import {
  absolutePartitionFile,
  commitPartition,
  listCurrentManifests,
  listPartitionHistory,
  readCurrentManifest,
  stagingPath,
} from '../../lake/store.js';
import { batchFromColumns } from '../../lib/arrow.js';
import { openDatabase, quoteLiteral } from '../../lib/duckdb.js';
import { LakeError } from '../../lib/errors.js';

const schema = new Schema([
  new Field('commune', new Utf8(), true),
  new Field('tonnes', new Float64(), true),
]);

function draft(runId: string, sha256: string, rows: number): Omit<PartitionManifest, 'file'> {
  return {
    source: 'waste',
    period: '2017',
    runId,
    workflowId: undefined,
    connector: { id: 'test', version: '1.0.0' },
    rows,
    bytes: 0,
    sha256,
    schema: [],
    retrievedAt: new Date().toISOString(),
    resources: [],
    producer: 'ADEME',
    licence: 'LO 2.0',
    access: 'public',
    standIn: undefined,
  };
}

async function stage(lake: string, tonnes: number[]) {
  const path = await stagingPath(lake);
  const communes = tonnes.map((_, index) => `1730${index}`);
  return writeParquetFile(path, schema, [batchFromColumns(schema, [communes, tonnes])]);
}

async function rowsOf(lake: string, manifest: PartitionManifest) {
  const database = await openDatabase();
  const file = quoteLiteral(absolutePartitionFile(lake, manifest));
  const result = await database.connection.runAndReadAll(
    `select count(*)::integer as rows, sum(tonnes) as tonnes from read_parquet(${file})`,
  );
  database.close();
  return result.getRowObjectsJS()[0];
}

describe('lake partitions', () => {
  it('lands the same rows twice as one identical partition, never appended', async () => {
    const lake = mkdtempSync(join(tmpdir(), 'terreze-lake-'));
    const first = await stage(lake, [1.5, 2.25, 3]);
    const second = await stage(lake, [1.5, 2.25, 3]);
    expect(second.sha256).toBe(first.sha256);

    const landedFirst = await commitPartition(lake, first, draft('run-1', first.sha256, 3));
    const landedSecond = await commitPartition(lake, second, draft('run-2', second.sha256, 3));

    expect(landedSecond.file).toBe(landedFirst.file);
    expect(
      readdirSync(join(lake, 'waste', '2017')).filter((name) => name.endsWith('.parquet')),
    ).toHaveLength(1);
    expect(await rowsOf(lake, landedSecond)).toEqual({ rows: 3, tonnes: 6.75 });
    expect((await listPartitionHistory(lake, 'waste', '2017')).map((m) => m.runId)).toEqual([
      'run-1',
      'run-2',
    ]);
    expect(readdirSync(join(lake, '.staging'))).toEqual([]);
  });

  it('replaces a restated partition and keeps the earlier file for past editions', async () => {
    const lake = mkdtempSync(join(tmpdir(), 'terreze-lake-'));
    const original = await stage(lake, [10, 20]);
    const restated = await stage(lake, [10, 25]);

    const before = await commitPartition(lake, original, draft('run-1', original.sha256, 2));
    const after = await commitPartition(lake, restated, draft('run-2', restated.sha256, 2));

    expect((await readCurrentManifest(lake, 'waste', '2017'))?.sha256).toBe(restated.sha256);
    expect(await rowsOf(lake, after)).toEqual({ rows: 2, tonnes: 35 });
    expect(await rowsOf(lake, before)).toEqual({ rows: 2, tonnes: 30 });
    expect((await listCurrentManifests(lake)).map((m) => [m.source, m.period, m.runId])).toEqual([
      ['waste', '2017', 'run-2'],
    ]);
  });

  it('refuses a staged file whose checksum is not the one announced, and lands nothing', async () => {
    const lake = mkdtempSync(join(tmpdir(), 'terreze-lake-'));
    const staged = await stage(lake, [1]);
    const wrong = 'f'.repeat(64);

    await expect(
      commitPartition(lake, { path: staged.path, sha256: wrong }, draft('run-1', wrong, 1)),
    ).rejects.toThrow(LakeError);
    expect(await readCurrentManifest(lake, 'waste', '2017')).toBeUndefined();
  });

  it('finishes a retried landing whose staged file was already moved into place', async () => {
    // A worker killed between moving the data file and writing current.json leaves this state.
    const lake = mkdtempSync(join(tmpdir(), 'terreze-lake-'));
    const staged = await stage(lake, [4, 5]);
    const target = join(lake, 'waste', '2017', `data-${staged.sha256}.parquet`);
    mkdirSync(join(lake, 'waste', '2017'), { recursive: true });
    renameSync(staged.path, target);

    const landed = await commitPartition(lake, staged, draft('run-1', staged.sha256, 2));

    expect(landed.file).toBe(join('waste', '2017', `data-${staged.sha256}.parquet`));
    expect((await readCurrentManifest(lake, 'waste', '2017'))?.runId).toBe('run-1');
    expect(await rowsOf(lake, landed)).toEqual({ rows: 2, tonnes: 9 });
  });

  it('replaces a damaged partition file when the same data is collected again', async () => {
    const lake = mkdtempSync(join(tmpdir(), 'terreze-lake-'));
    const first = await stage(lake, [1, 2]);
    const landed = await commitPartition(lake, first, draft('run-1', first.sha256, 2));
    const file = absolutePartitionFile(lake, landed);
    writeFileSync(file, readFileSync(file).subarray(0, 100));

    const again = await stage(lake, [1, 2]);
    const relanded = await commitPartition(lake, again, draft('run-2', again.sha256, 2));

    expect(relanded.file).toBe(landed.file);
    expect(await rowsOf(lake, relanded)).toEqual({ rows: 2, tonnes: 3 });
  });

  it('refuses to land when neither the staged file nor an intact target exists', async () => {
    const lake = mkdtempSync(join(tmpdir(), 'terreze-lake-'));
    const staged = await stage(lake, [1]);
    rmSync(staged.path);

    await expect(commitPartition(lake, staged, draft('run-1', staged.sha256, 1))).rejects.toThrow(
      /is gone and .* is missing; collect the partition again/,
    );
    expect(await readCurrentManifest(lake, 'waste', '2017')).toBeUndefined();
  });

  it('rejects partition keys that are not safe folder names', async () => {
    const lake = mkdtempSync(join(tmpdir(), 'terreze-lake-'));
    const staged = await stage(lake, [1]);
    const unsafe = { ...draft('run-1', staged.sha256, 1), period: '../2017' };

    await expect(commitPartition(lake, staged, unsafe)).rejects.toThrow(
      'period "../2017" is not a valid partition key',
    );
  });
});

describe('writeParquetFile on a failing read', () => {
  it('rejects with the read error instead of ending a short file as complete', async () => {
    // Regression: the Parquet writer closed its output normally when its input stream failed.
    const schema = new Schema([new Field('name', new Utf8(), true)]);
    async function* failing() {
      yield batchFromColumns(schema, [['first']]);
      throw new Error('provider went away after one batch');
    }
    const directory = mkdtempSync(join(tmpdir(), 'terreze-parquet-'));
    await expect(writeParquetFile(join(directory, 'x.parquet'), schema, failing())).rejects.toThrow(
      'provider went away after one batch',
    );
  });
});

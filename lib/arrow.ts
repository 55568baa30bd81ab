import {
  type DataType,
  makeData,
  RecordBatch,
  type Schema,
  Struct,
  Table,
  vectorFromArray,
} from 'apache-arrow';

/** Builds one record batch of `schema` from columns of plain values (null for missing). */
export function batchFromColumns(schema: Schema, columns: readonly unknown[][]): RecordBatch {
  if (columns.length !== schema.fields.length) {
    throw new Error(`expected ${schema.fields.length} columns, got ${columns.length}`);
  }
  const length = columns[0]?.length ?? 0;
  const children = schema.fields.map((field, index) => {
    const values = columns[index] ?? [];
    if (values.length !== length) {
      throw new Error(`column ${field.name} has ${values.length} values, expected ${length}`);
    }
    return vectorFromArray(values as unknown[], field.type as DataType).data[0]!;
  });
  const data = makeData({ type: new Struct(schema.fields), length, nullCount: 0, children });
  return new RecordBatch(schema, data);
}

/** Builds one record batch of `schema` from row objects keyed by field name. */
export function batchFromRows(
  schema: Schema,
  rows: readonly Record<string, unknown>[],
): RecordBatch {
  const columns = schema.fields.map((field) => rows.map((row) => row[field.name] ?? null));
  return batchFromColumns(schema, columns);
}

/** Concatenates batches into one table, keeping the declared schema even when empty. */
export function tableFromBatches(schema: Schema, batches: readonly RecordBatch[]): Table {
  return batches.length === 0 ? new Table(schema) : new Table(schema, batches as RecordBatch[]);
}

/** Collects the batches of an async stream, in order. */
export async function collectBatches(stream: AsyncIterable<RecordBatch>): Promise<RecordBatch[]> {
  const batches: RecordBatch[] = [];
  for await (const batch of stream) batches.push(batch);
  return batches;
}

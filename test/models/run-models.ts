import type { Project } from '../../config/project.js';
import { connectors } from '../../connectors/index.js';
import { openDatabase } from '../../lib/duckdb.js';
import { createLogger } from '../../lib/logger.js';
import { runModels } from '../../models/runner.js';
import type { BaselineInput } from '../../models/seeds-method.js';
import { landRawRows, type RawRows, rawRows, testProject } from './fixtures.js';

/** Runs the real models on the fixture rows landed through the real lake, in memory. */
export async function inventoryOf(
  project: Project = testProject(),
  options: { rows?: RawRows; reportingYear?: number; baseline?: BaselineInput } = {},
) {
  const partitions = await landRawRows(project, options.rows ?? rawRows);
  const database = await openDatabase();
  try {
    await runModels({
      connection: database.connection,
      project,
      reportingYear: options.reportingYear ?? 2023,
      partitions,
      connectors,
      logger: createLogger({ level: 'error' }),
      baseline: options.baseline,
    });
  } catch (error) {
    database.close();
    throw error;
  }
  const query = async (sql: string) =>
    (await database.connection.runAndReadAll(sql)).getRowObjectsJS();
  return { query, close: () => database.close() };
}

/** Runs the models and returns the rows of one query. */
export async function queryInventory(sql: string, project?: Project, rows?: RawRows) {
  const { query, close } = await inventoryOf(project, { rows });
  try {
    return await query(sql);
  } finally {
    close();
  }
}

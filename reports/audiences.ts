import type { Project } from '../config/project.js';
import type { Audience } from './engine/index.js';

/**
 * What each audience may read. The project's secrecy rule names the audiences that see masked
 * figures; for them the report reads only the secrecy-applied tables of the edition (the
 * `public_*` models), under the names of the tables they mask, and the tables that describe
 * the edition rather than measure anything. Other audiences read the inventory as it is.
 */

/** Tables that describe the edition (sources, partitions, dates, reference lists). */
export const descriptiveTables = [
  'cycle',
  'territory',
  'targets',
  'gwp',
  'gpc_reference',
  'pcaet_sectors',
  'sources',
  'partitions',
  'report_edition',
  'edition_exclusions',
  'changes_since',
  'changes_partitions',
];

/** The prefix of the models to which statistical secrecy has been applied. */
export const maskedTablePrefix = 'public_';

/** Whether `audience` sees masked figures under the project's secrecy rule. */
export function seesMaskedFigures(project: Project, audience: Audience): boolean {
  const masked = project.inventory.secrecy?.maskedAudiences ?? ['public'];
  return masked.includes(audience);
}

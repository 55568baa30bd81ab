// Prints the closing line CI reads, `N passed, N failed`, from Vitest's JSON report. A report
// that is missing or holds no test at all counts as a failure.
import { existsSync, readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'var/test-results.json';
if (!existsSync(file)) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
const passed = report.numPassedTests ?? 0;
const failed = (report.numFailedTests ?? 0) + (report.numTotalTests === 0 ? 1 : 0);
const suitesFailed = report.numFailedTestSuites ?? 0;
console.log(`${passed} passed, ${failed + (failed === 0 ? suitesFailed : 0)} failed`);
process.exit(failed + suitesFailed > 0 ? 1 : 0);

#!/usr/bin/env node
// Totals the jest, playwright and install-test JSON reports of scripts/test.sh into its closing
// line, and exits non-zero when any test or any step failed. A runner that left no report counts
// as one failure.
const fs = require('node:fs');
const path = require('node:path');

const [resultsDir, ...failedSteps] = process.argv.slice(2);

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(path.join(resultsDir, file), 'utf8'));
  } catch {
    return undefined;
  }
}

const runners = [
  {
    name: 'jest',
    report: readJson('jest.json'),
    count: r => ({
      passed: r.numPassedTests,
      failed: r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0),
      skipped: r.numPendingTests + r.numTodoTests,
    }),
  },
  {
    name: 'playwright (chromium)',
    report: readJson('e2e.json'),
    count: r => ({
      passed: r.stats.expected + r.stats.flaky,
      failed: r.stats.unexpected + (r.errors?.length ?? 0),
      skipped: r.stats.skipped,
    }),
  },
  {
    name: 'install into a fresh app',
    report: readJson('install-test.json'),
    count: r => ({
      passed: r.checks.filter(check => check.status === 'passed').length,
      failed: r.checks.filter(check => check.status !== 'passed').length,
      skipped: 0,
    }),
  },
];

const total = { passed: 0, failed: 0, skipped: 0 };
for (const runner of runners) {
  const counts = runner.report
    ? runner.count(runner.report)
    : { passed: 0, failed: 1, skipped: 0 };
  const note = runner.report
    ? ''
    : ' (no report: the runner did not run or crashed)';
  console.log(
    `${runner.name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped${note}`,
  );
  for (const key of Object.keys(total)) {
    total[key] += counts[key];
  }
}

if (failedSteps.length > 0) {
  console.log(`Failed steps: ${failedSteps.join(', ')}`);
}
const skipped = total.skipped > 0 ? `, ${total.skipped} skipped` : '';
console.log(`Tests: ${total.passed} passed, ${total.failed} failed${skipped}`);
process.exit(failedSteps.length > 0 || total.failed > 0 ? 1 : 0);

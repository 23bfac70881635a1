// Mocha reporter: the usual spec output, plus the real counts written to the
// file named by WP401_TEST_STATS so scripts/test.mjs can add up every suite.
'use strict';
const fs = require('node:fs');
const Mocha = require('mocha');

const { EVENT_RUN_END, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } = Mocha.Runner.constants;

class CountReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const stats = { passed: 0, failed: 0, skipped: 0, failures: [], skips: [] };
    runner.on(EVENT_TEST_PASS, () => stats.passed++);
    runner.on(EVENT_TEST_PENDING, (test) => {
      stats.skipped++;
      stats.skips.push(test.fullTitle());
    });
    runner.on(EVENT_TEST_FAIL, (test) => {
      stats.failed++;
      stats.failures.push(test.fullTitle());
    });
    runner.once(EVENT_RUN_END, () => {
      const file = process.env.WP401_TEST_STATS;
      if (file) fs.writeFileSync(file, JSON.stringify(stats));
    });
  }
}

module.exports = CountReporter;

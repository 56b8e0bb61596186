import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints the run's closing line in the plain form CI reads in any language,
 * `Tests: N passed, N failed, N skipped`, after vitest's own summary.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') counts.passed++;
        else if (state === 'failed') counts.failed++;
        else counts.skipped++;
      }
    }
    // A module that failed with no test failed (it did not load, or a beforeAll threw and its tests
    // were skipped) failed the run all the same: counted once, so the line never reads 0 failed.
    counts.failed += testModules.filter((m) => m.state() === 'failed' && ![...m.children.allTests()].some((test) => test.result().state === 'failed')).length;
    console.log(`\nTests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  }
}

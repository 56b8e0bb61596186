import type { Reporter, TestModule } from 'vitest/node';

/** How many of the slowest files the run's end names. */
const SLOWEST = 8;

/**
 * Prints the run's closing line in the plain form CI reads in any language,
 * `Tests: N passed, N failed, N skipped`, after vitest's own summary; before it, the slowest
 * files, each with the time its worker spent on it (start-up, import, hooks and tests), so a
 * file that eats into the suite's time budget (README, Testing) is seen where it shows.
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
    const slowest = testModules
      .map((m) => ({ file: m.relativeModuleId, seconds: timeOf(m) / 1000 }))
      .sort((a, b) => b.seconds - a.seconds)
      .slice(0, SLOWEST);
    if (slowest.length > 1) console.log(`\nSlowest files: ${slowest.map(({ file, seconds }) => `${file} ${seconds.toFixed(1)} s`).join(', ')}`);
    console.log(`\nTests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  }
}

function timeOf(module: TestModule): number {
  const d = module.diagnostic();
  return d.environmentSetupDuration + d.prepareDuration + d.collectDuration + d.setupDuration + d.duration;
}

import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Test files that take longest (measured on the 2-core machine, 2026-12-08: accessibility 180 s, i18n
 * 82 s, feed 69 s, stories 56 s; golden 47 s and access properties 28 s among the unit tests) start
 * first. A clean clone has no timing cache, and a long file picked last keeps one worker busy while
 * the other has nothing left to run.
 */
const SLOWEST_FIRST = [
  "tests/e2e/accessibility.test.ts",
  "tests/e2e/i18n.test.ts",
  "tests/e2e/feed.test.ts",
  "tests/e2e/stories.test.ts",
  "tests/unit/golden.test.ts",
  "tests/unit/access-properties.test.ts",
];

export default class LongestFirst extends BaseSequencer {
  async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = SLOWEST_FIRST.findIndex((s) => f.moduleId.endsWith(s));
      return i < 0 ? SLOWEST_FIRST.length : i;
    };
    return sorted
      .map((f, i) => ({ f, i }))
      .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
      .map((x) => x.f);
  }
}

// Mocha's spec output, plus one closing line "N passed, N failed[, N skipped]" that CI reads,
// also written to .tools/test-summary.txt so .ci/run can print it last. With
// DCOS_VNET_TEST_FILE_RESULTS set (scripts/test-stress.sh), also each file's counts and failed
// titles, as JSON, to that path; a failed hook counts as a failure of its file.
const Mocha = require("mocha");
const fs = require("fs");
const path = require("path");

const ROOT = path.join(__dirname, "..", "..");
const { EVENT_RUN_END, EVENT_TEST_FAIL, EVENT_TEST_PASS, EVENT_TEST_PENDING } = Mocha.Runner.constants;

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const files = {};
    const of = (runnable) => {
      const file = runnable.file ? path.relative(ROOT, runnable.file) : "(root hooks)";
      return (files[file] ??= { passed: 0, failed: 0, skipped: 0, failures: [] });
    };
    runner.on(EVENT_TEST_PASS, (test) => of(test).passed++);
    runner.on(EVENT_TEST_PENDING, (test) => of(test).skipped++);
    runner.on(EVENT_TEST_FAIL, (test) => {
      const f = of(test);
      f.failed++;
      f.failures.push(test.fullTitle());
    });
    runner.once(EVENT_RUN_END, () => {
      const { passes, failures, pending } = runner.stats;
      const line = `${passes} passed, ${failures} failed` + (pending ? `, ${pending} skipped` : "");
      const file = path.join(ROOT, ".tools", "test-summary.txt");
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, line + "\n");
      const results = process.env.DCOS_VNET_TEST_FILE_RESULTS;
      if (results) {
        fs.mkdirSync(path.dirname(results), { recursive: true });
        fs.writeFileSync(results, JSON.stringify(files, null, 1));
      }
    });
  }
}
module.exports = SummaryReporter;

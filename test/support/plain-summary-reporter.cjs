// Prints one plain closing line ("jest: N passed, N failed, N skipped") that CI can read.
class PlainSummaryReporter {
  onRunComplete(_contexts, results) {
    console.log(
      `jest: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests} skipped`,
    );
  }
}
module.exports = PlainSummaryReporter;

// When an exercise offers its help: hints one at a time (after a named mistake, that
// mistake's own hint first), the solution after a pass or after enough failed submissions
// (before that it asks first). Pure functions of the exercise's saved state {hints,
// verdict, feedback, failures, solutionShown}; unit-tested by node --test.

export const FAILURES_BEFORE_SOLUTION = 3;

/** The saved state, with the hint count kept within the hints the exercise has. */
export function initialState(saved, hintCount) {
  return {
    hints: Math.min(saved.hints, hintCount),
    verdict: saved.verdict,
    feedback: saved.feedback,
    failures: saved.failures,
    gradedCode: saved.gradedCode || "", // store.fingerprint() of the code the verdict is for
    solutionShown: saved.solutionShown === true, // kept for the work file (SPEC §7), never reset
  };
}

/** How many hints are still hidden. */
export const hintsLeft = (state, hintCount) => Math.max(0, hintCount - state.hints);

/** The state with one more hint shown (unchanged when none is left). */
export const withNextHint = (state, hintCount) =>
  hintsLeft(state, hintCount) > 0 ? { ...state, hints: state.hints + 1 } : state;

/** The solution is shown without asking once earned (a pass, or enough failures) or once seen. */
export const solutionEarned = (state) =>
  state.verdict === "pass" || state.failures >= FAILURES_BEFORE_SOLUTION || state.solutionShown === true;

/** The state once the learner has seen the solution (unchanged if they had already). */
export const withSolutionShown = (state) => (state.solutionShown ? state : { ...state, solutionShown: true });

/** The state after a submission whose description carries `record` (see exercise-outcome.js). */
export function withSubmission(state, record) {
  if (!record) return state;
  return {
    ...state,
    verdict: record.verdict,
    feedback: record.feedback,
    failures: state.failures + (record.failure ? 1 : 0),
  };
}

/**
 * The hint that speaks to the mistake the last submission was named for (the exercise's
 * `mistakeHints` map a mistake's headline to its hint), or null.
 */
export function mistakeHint(state, mistakeHints) {
  if (state.verdict !== "fail" || !mistakeHints) return null;
  return Object.hasOwn(mistakeHints, state.feedback) ? mistakeHints[state.feedback] : null;
}

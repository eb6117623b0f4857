// When hints and the solution are offered (web/exercise-policy.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import * as policy from "../../web/exercise-policy.js";

const fresh = { hints: 0, verdict: null, feedback: "", failures: 0 };

test("the saved hint count never exceeds the exercise's hints", () => {
  assert.equal(policy.initialState({ ...fresh, hints: 9 }, 3).hints, 3);
});

test("hints come one at a time until none is left", () => {
  let state = fresh;
  for (let i = 1; i <= 2; i++) {
    state = policy.withNextHint(state, 2);
    assert.equal(state.hints, i);
  }
  assert.equal(policy.hintsLeft(state, 2), 0);
  assert.equal(policy.withNextHint(state, 2), state);
});

test("the solution is earned by a pass or by enough failed submissions", () => {
  assert.equal(policy.solutionEarned(fresh), false);
  assert.equal(policy.solutionEarned({ ...fresh, verdict: "pass" }), true);
  let state = fresh;
  for (let i = 0; i < policy.FAILURES_BEFORE_SOLUTION; i++) {
    assert.equal(policy.solutionEarned(state), false);
    state = policy.withSubmission(state, { verdict: "fail", feedback: "no", failure: true });
  }
  assert.equal(policy.solutionEarned(state), true);
});

test("a solution once shown stays shown, and is offered again without asking", () => {
  assert.equal(policy.initialState(fresh, 3).solutionShown, false);
  assert.equal(policy.initialState({ ...fresh, solutionShown: "yes" }, 3).solutionShown, false);
  const seen = policy.withSolutionShown(policy.initialState(fresh, 3));
  assert.equal(seen.solutionShown, true);
  assert.equal(policy.withSolutionShown(seen), seen);
  assert.equal(policy.solutionEarned(seen), true);
  const next = policy.withSubmission(policy.withNextHint(seen, 3), { verdict: "fail", feedback: "no", failure: true });
  assert.equal(next.solutionShown, true);
});

test("a submission that is not a failure (Stop) does not count; no record changes nothing", () => {
  const stopped = policy.withSubmission(fresh, { verdict: "timeout", feedback: "Stopped.", failure: false });
  assert.equal(stopped.failures, 0);
  assert.equal(stopped.verdict, "timeout");
  assert.equal(policy.withSubmission(stopped, null), stopped);
});

test("after a named mistake, its own hint is the one offered", () => {
  const hints = { "That is the L1 penalty.": "<p>Square each weight.</p>" };
  const failed = { ...fresh, verdict: "fail", feedback: "That is the L1 penalty." };
  assert.equal(policy.mistakeHint(failed, hints), "<p>Square each weight.</p>");
  // Another failure, a pass with the same words, an exercise without mistake hints: none.
  assert.equal(policy.mistakeHint({ ...failed, feedback: "Something else." }, hints), null);
  assert.equal(policy.mistakeHint({ ...failed, verdict: "pass" }, hints), null);
  assert.equal(policy.mistakeHint(failed, undefined), null);
  // A headline that happens to name an Object property is no mistake.
  assert.equal(policy.mistakeHint({ ...failed, feedback: "constructor" }, hints), null);
});

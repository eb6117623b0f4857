// The page's work-file reader (web/work-file.js) over the shared corpus (tests/workfiles/):
// the outcome expected.json records, and, when tests/test_js.py passes the Python reader's
// own outcomes ($L2_WORKFILES_PYTHON), the very same sentences as grader/workfile.py.
import "./contract.mjs";

import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";

import { pyLength, pyRepr, readWorkFile, WorkFileError } from "../../web/work-file.js";

const CORPUS = new URL("../workfiles/", import.meta.url);
const EXPECTED = JSON.parse(readFileSync(new URL("expected.json", CORPUS), "utf8"));
const rawCourse = JSON.parse(readFileSync(new URL("course.json", CORPUS), "utf8"));
const COURSE = { exercises: rawCourse.exercises, questions: rawCourse.questions };
const PYTHON = process.env.L2_WORKFILES_PYTHON
  ? JSON.parse(readFileSync(process.env.L2_WORKFILES_PYTHON, "utf8"))
  : null;

function corpusBytes(name) {
  if (name === "too-big") {
    const good = JSON.parse(readFileSync(new URL("cases/good.json", CORPUS), "utf8"));
    good.padding = " ".repeat(50_000_000);
    return new TextEncoder().encode(JSON.stringify(good));
  }
  return new Uint8Array(readFileSync(new URL(`cases/${name}.json`, CORPUS)));
}

/** The reader's outcome in the shape the Python side writes (tests/test_js.py). */
function outcome(data) {
  try {
    const work = readWorkFile(data, COURSE);
    const stale = Object.entries({ ...work.exercises, ...work.questions }).filter(([, e]) => e.stale);
    return {
      refused: null,
      exercises: Object.keys(work.exercises).sort(),
      questions: Object.keys(work.questions).sort(),
      stale: stale.map(([id]) => id).sort(),
      problems: work.problems.map((p) => p.code).sort(),
      messages: work.problems.map((p) => p.message).sort(),
    };
  } catch (error) {
    if (!(error instanceof WorkFileError)) throw error;
    return { refused: error.message, exercises: [], questions: [], stale: [], problems: [], messages: [] };
  }
}

test("every corpus file has an expectation", () => {
  const names = readdirSync(new URL("cases/", CORPUS))
    .filter((n) => n.endsWith(".json"))
    .map((n) => n.slice(0, -5));
  assert.deepEqual([...names, "too-big"].sort(), Object.keys(EXPECTED).sort());
});

for (const [name, want] of Object.entries(EXPECTED)) {
  test(`corpus file ${name} reads as expected.json says`, () => {
    const got = outcome(corpusBytes(name));
    if (want.refused) {
      assert.ok(got.refused?.includes(want.refused), got.refused);
      assert.ok(got.refused.endsWith(".") && !got.refused.includes("\n"));
      return;
    }
    assert.equal(got.refused, null);
    for (const key of ["exercises", "questions", "stale", "problems"]) {
      assert.deepEqual(got[key], [...want[key]].sort(), key);
    }
    for (const sentence of got.messages) assert.ok(sentence.endsWith(".") && sentence.includes("'"));
  });
}

test("the page and grader/workfile.py say the same, word for word", { skip: !PYTHON && "run through pytest" }, () => {
  const names = Object.keys(PYTHON);
  assert.ok(names.length >= Object.keys(EXPECTED).length);
  for (const name of names) {
    const data =
      existsSync(new URL(`cases/${name}.json`, CORPUS)) || name === "too-big"
        ? corpusBytes(name)
        : new TextEncoder().encode(PYTHON[name].text);
    assert.deepEqual(outcome(data), PYTHON[name].outcome, name);
  }
});

test("the good file keeps every field", () => {
  const work = readWorkFile(corpusBytes("good"), COURSE);
  assert.equal(work.learner, "Ada Lovelace");
  assert.equal(work.siteUrl, "https://you.github.io/l2-course/");
  const entry = work.exercises["l2-penalty"];
  assert.deepEqual([entry.verdict, entry.failures, entry.hints, entry.solutionShown], ["pass", 2, 1, false]);
  assert.ok(entry.code.startsWith("def l2_penalty"));
  assert.deepEqual(work.questions["lambda-zero"].selected, [0]);
});

test("Python's types: 2.0 is no count, NaN parses, 01 is not JSON", () => {
  const file = (entry) =>
    JSON.stringify({ format: "l2-course-work", format_version: 1, exercises: { "l2-penalty": entry } });
  const base = { version: "aaaaaaaaaaaa", code: "x = 1" };
  assert.equal(Object.keys(readWorkFile(file({ ...base, failures: 2 }), COURSE).exercises).length, 1);
  const floated = readWorkFile(file({ ...base, failures: 2 }).replace('"failures":2', '"failures":2.0'), COURSE);
  assert.deepEqual(
    floated.problems.map((p) => p.code),
    ["bad-field"],
  );
  const nan = readWorkFile(file({ ...base, hints: 0 }).replace('"hints":0', '"hints":NaN'), COURSE);
  assert.deepEqual(
    nan.problems.map((p) => p.code),
    ["bad-field"],
  );
  assert.throws(() => readWorkFile('{"format": "l2-course-work", "format_version": 01}', COURSE), /not valid JSON/);
  assert.throws(
    () => readWorkFile('{"format": "l2-course-work", "format_version": 1.0}', COURSE),
    /no valid format_version/,
  );
  assert.throws(
    () => readWorkFile('{"format": "l2-course-work", "format_version": 1, "site": 2.5}', COURSE),
    /'site' is not an object/,
  );
});

test("lengths and quotes as Python counts and writes them", () => {
  assert.equal(pyLength("a😀b"), 3);
  assert.equal(pyRepr("it's"), `"it's"`);
  assert.equal(pyRepr("a\nb'\""), `'a\\nb\\'"'`);
});

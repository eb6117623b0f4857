// Download and restore (web/work-store.js) against an in-memory Storage: what a work file
// holds, that a restore reads back the same, and that a failed restore changes nothing.
import "./contract.mjs";

import assert from "node:assert/strict";
import { test } from "node:test";

import { readWorkFile } from "../../web/work-file.js";
import { applyWrites, courseOf, exportWork, fileName, planRestore } from "../../web/work-store.js";

class MemoryStorage {
  constructor(entries = {}, { quota = Infinity } = {}) {
    this.map = new Map(Object.entries(entries));
    this.quota = quota;
  }
  get length() {
    return this.map.size;
  }
  key(i) {
    return [...this.map.keys()][i] ?? null;
  }
  getItem(key) {
    return this.map.has(key) ? this.map.get(key) : null;
  }
  setItem(key, value) {
    const used = [...this.map].reduce((n, [k, v]) => n + (k === key ? 0 : k.length + v.length), 0);
    if (used + key.length + value.length > this.quota)
      throw Object.assign(new Error("full"), { name: "QuotaExceededError" });
    this.map.set(key, String(value));
  }
  removeItem(key) {
    this.map.delete(key);
  }
}

const MAP = {
  pages: [
    {
      url: "a/",
      title: "A",
      items: [
        { kind: "exercise", id: "l2-penalty", version: "v2", label: "L2 penalty" },
        { kind: "question", id: "q1", version: "qv", options: 3, label: "Q1" },
      ],
    },
    { url: "b/", title: "B", items: [{ kind: "exercise", id: "early-stop", version: "e1", label: "Stop" }] },
  ],
};
const saved = (code, more = {}) =>
  JSON.stringify({
    code,
    hints: 1,
    verdict: "fail",
    feedback: "no",
    failures: 3,
    gradedCode: "",
    savedAt: "2026-12-01T10:00:00.000Z~ab",
    ...more,
  });

test("a download holds each exercise's code and each answer, and reads back clean", () => {
  const storage = new MemoryStorage({
    "l2-course:exercise:l2-penalty:v2": saved("def f(): pass"),
    "l2-course:exercise:early-stop:e0": saved("old code"), // only an older version here
    "l2-course:question:q1": JSON.stringify({ version: "qv", selected: [2], verdict: "pass" }),
    unrelated: "x",
  });
  const { work } = exportWork(storage, MAP, { learner: "Ada", siteUrl: "https://x/", build: "b" });
  assert.deepEqual(Object.keys(work.exercises).sort(), ["early-stop", "l2-penalty"]);
  assert.equal(work.exercises["early-stop"].version, "e0");
  assert.deepEqual(work.questions.q1, { version: "qv", selected: [2], verdict: "pass" });
  const read = readWorkFile(JSON.stringify(work), courseOf(MAP));
  assert.deepEqual(
    read.problems.map((p) => p.code),
    ["stale-exercise"],
  );
  assert.equal(read.exercises["l2-penalty"].failures, 3);
});

test("a restore into an empty browser writes everything, older code under its own version", () => {
  const source = new MemoryStorage({
    "l2-course:exercise:l2-penalty:v2": saved("mine", { verdict: "pass", solutionShown: true }),
    "l2-course:exercise:early-stop:e0": saved("old code"),
    "l2-course:question:q1": JSON.stringify({ version: "qv", selected: [0, 1], verdict: "fail" }),
  });
  const { work } = exportWork(source, MAP, { learner: "Ada" });
  assert.deepEqual(
    [work.exercises["l2-penalty"].solution_shown, work.exercises["early-stop"].solution_shown],
    [true, false],
  );
  const target = new MemoryStorage();
  const plan = planRestore(target, MAP, readWorkFile(JSON.stringify(work), courseOf(MAP)));
  assert.deepEqual(plan.newer, []);
  assert.deepEqual(
    plan.older.map((i) => i.id),
    ["early-stop"],
  );
  assert.deepEqual(applyWrites(target, plan.writes), { ok: true });
  assert.equal(JSON.parse(target.getItem("l2-course:exercise:early-stop:e0")).code, "old code");
  assert.equal(target.getItem("l2-course:exercise:early-stop:e1"), null);
  const again = exportWork(target, MAP, { learner: "Ada", now: new Date(work.exported_at) }).work;
  assert.deepEqual(again, work);
  // Restoring the same file again finds nothing to do.
  assert.equal(planRestore(target, MAP, readWorkFile(JSON.stringify(work), courseOf(MAP))).writes.length, 0);
});

test("a file that differs only in the solution having been shown is restored", () => {
  const here = new MemoryStorage({ "l2-course:exercise:l2-penalty:v2": saved("same code") });
  const { work } = exportWork(here, MAP);
  work.exercises["l2-penalty"].solution_shown = true;
  const plan = planRestore(here, MAP, readWorkFile(JSON.stringify(work), courseOf(MAP)));
  assert.equal(plan.same, 0);
  assert.equal(JSON.parse(plan.writes[0].value).solutionShown, true);
});

test("work that is newer in this browser is named before it is replaced", () => {
  const { work } = exportWork(new MemoryStorage({ "l2-course:exercise:l2-penalty:v2": saved("from file") }), MAP);
  const here = new MemoryStorage({
    "l2-course:exercise:l2-penalty:v2": saved("newer here", { savedAt: "2026-12-02T10:00:00.000Z~cd" }),
  });
  const plan = planRestore(here, MAP, readWorkFile(JSON.stringify(work), courseOf(MAP)));
  assert.deepEqual(
    plan.newer.map((i) => i.id),
    ["l2-penalty"],
  );
  assert.equal(plan.writes[0].newer, true);
});

test("a restore that runs out of room puts back every key it wrote", () => {
  const before = {
    "l2-course:exercise:l2-penalty:v2": saved("keep me"),
    "l2-course:question:q1": JSON.stringify({ version: "qv", selected: [1], verdict: "fail" }),
  };
  const storage = new MemoryStorage(before, { quota: 400 });
  const writes = [
    { key: "l2-course:exercise:l2-penalty:v2", value: saved("replaced") },
    { key: "l2-course:exercise:early-stop:e1", value: saved("new") },
    { key: "l2-course:question:q1", value: "x".repeat(500) },
  ];
  const outcome = applyWrites(storage, writes);
  assert.equal(outcome.ok, false);
  assert.equal(outcome.error, "QuotaExceededError");
  assert.deepEqual(Object.fromEntries(storage.map), before);
});

test("file names: the learner's name as a slug, or none", () => {
  const now = new Date("2026-12-01T12:00:00Z");
  assert.equal(fileName("Ada Lovelace", now), "l2-course-work-ada-lovelace-2026-12-01.json");
  assert.equal(fileName("  Zoë / Ñandú!! ", now), "l2-course-work-zoe-nandu-2026-12-01.json");
  assert.equal(fileName("", now), "l2-course-work-2026-12-01.json");
  assert.equal(fileName("李", now), "l2-course-work-2026-12-01.json");
});

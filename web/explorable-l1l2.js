// L1 vs L2 in one dimension (L2 page). One weight w; the data loss is a·(w − 1)², so the
// data alone picks w = 1 and a is how hard it pulls. Adding λ·w² (L2) moves the best w to
// a/(a + λ): shrunk in proportion, never 0. Adding λ·|w| (L1) moves it to
// max(0, 1 − λ/(2a)): shifted by a constant, and exactly 0 once λ ≥ 2a.

import { message } from "./contract.js";
import {
  axes,
  canvas,
  frame,
  legend,
  markers,
  onWidths,
  pathOf,
  point,
  scale,
  slider,
  svg,
  text,
  ticks,
  vline,
} from "./explorable-kit.js";

const HEIGHT = 240;
const LAMBDA = { min: 0, max: 3, step: 0.05, start: 0.5 };
const PULL = { min: 0.25, max: 2, step: 0.05, start: 1 };
const W_RANGE = [-0.5, 1.5];
const Y_TOP = 3;

export const l2Best = (a, lam) => a / (a + lam);
export const l1Best = (a, lam) => Math.max(0, 1 - lam / (2 * a));

const fixed = (value, digits = 3) => value.toFixed(digits).replace("-", "−");

function readout(a, lam) {
  const l2 = l2Best(a, lam);
  const l1 = l1Best(a, lam);
  const l1Text =
    l1 === 0
      ? message("explorable.l1l2.l1_zero", { twice: fixed(2 * a, 2) })
      : message("explorable.l1l2.l1_shifted", { l1: fixed(l1), twice: fixed(2 * a, 2) });
  return message("explorable.l1l2.readout", {
    lambda: fixed(lam, 2),
    a: fixed(a, 2),
    l2: fixed(l2),
    percent: fixed(100 * l2, 1),
    l1: l1Text,
  });
}

function drawObjectives(holder, width, a, lam) {
  const root = canvas(holder, width, HEIGHT, message("explorable.l1l2.objectives"));
  const below = legend(
    root,
    8,
    10,
    [
      { label: message("explorable.l1l2.data_loss"), className: "l2-x-c" },
      { label: "+ λ·w² (L2)", className: "l2-x-a", marker: markers.circle },
      { label: "+ λ·|w| (L1)", className: "l2-x-b", marker: markers.diamond },
    ],
    width,
  );
  const box = { left: 36, right: width - 12, top: below + 20, bottom: HEIGHT - 40 };
  const x = scale(W_RANGE[0], W_RANGE[1], box.left, box.right);
  const y = scale(0, Y_TOP, box.bottom, box.top);
  axes(root, box, {
    x,
    y,
    xTicks: ticks(...W_RANGE, 4),
    yTicks: ticks(0, Y_TOP, 3),
    xLabel: message("explorable.l1l2.weight"),
    yLabel: message("explorable.l1l2.objective"),
  });
  const clip = `l2-x-clip-${Math.random().toString(36).slice(2, 8)}`;
  const clipPath = svg("clipPath", { id: clip }, root);
  const inside = { width: box.right - box.left, height: box.bottom - box.top };
  svg("rect", { x: box.left, y: box.top, ...inside }, clipPath);
  const curves = svg("g", { "clip-path": `url(#${clip})` }, root);
  const [low, high] = W_RANGE;
  const samples = Array.from({ length: 121 }, (_, k) => low + ((high - low) * k) / 120);
  const curve = (f) => pathOf(samples.map((w) => [x(w), y(Math.min(f(w), Y_TOP * 1.5))]));
  const data = (w) => a * (w - 1) ** 2;
  svg("path", { d: curve(data), class: "l2-x-c" }, curves);
  svg("path", { d: curve((w) => data(w) + lam * w * w), class: "l2-x-a" }, curves);
  svg("path", { d: curve((w) => data(w) + lam * Math.abs(w)), class: "l2-x-b" }, curves);
  const l2 = l2Best(a, lam);
  const l1 = l1Best(a, lam);
  const l2y = data(l2) + lam * l2 * l2;
  const l1y = data(l1) + lam * Math.abs(l1);
  /** @type {[number, number, string][]} */
  const marks = [
    [l2, l2y, "l2-x-a"],
    [l1, l1y, "l2-x-b"],
  ];
  for (const [w, value, className] of marks) {
    const guide = { x1: x(w), x2: x(w), y1: y(Math.min(value, Y_TOP)), y2: box.bottom };
    svg("line", { ...guide, class: `${className} l2-x-guide` }, root);
  }
  point(root, "circle", x(l2), y(Math.min(l2y, Y_TOP)), "l2-x-a", l2);
  point(root, "diamond", x(l1), y(Math.min(l1y, Y_TOP)), "l2-x-b", l1);
}

function drawPaths(holder, width, a, lam) {
  const root = canvas(holder, width, HEIGHT, message("explorable.l1l2.paths"));
  const below = legend(
    root,
    8,
    10,
    [
      { label: "L2: a/(a + λ)", className: "l2-x-a", marker: markers.circle },
      { label: "L1: max(0, 1 − λ/(2a))", className: "l2-x-b", marker: markers.diamond },
    ],
    width,
  );
  const box = { left: 36, right: width - 12, top: below + 20, bottom: HEIGHT - 40 };
  const x = scale(LAMBDA.min, LAMBDA.max, box.left, box.right);
  const y = scale(0, 1, box.bottom, box.top);
  axes(root, box, {
    x,
    y,
    xTicks: ticks(LAMBDA.min, LAMBDA.max, 3),
    yTicks: [0, 0.5, 1],
    xLabel: message("explorable.l1l2.rate"),
    yLabel: message("explorable.l1l2.best"),
  });
  const lambdas = Array.from({ length: 121 }, (_, k) => (LAMBDA.max * k) / 120);
  svg("path", { d: pathOf(lambdas.map((l) => [x(l), y(l2Best(a, l))])), class: "l2-x-a" }, root);
  svg("path", { d: pathOf(lambdas.map((l) => [x(l), y(l1Best(a, l))])), class: "l2-x-b" }, root);
  if (2 * a <= LAMBDA.max) {
    text(root, x(2 * a), box.bottom - 8, message("explorable.l1l2.l1_from_here"), { class: "l2-x-tick" });
  }
  const at = x(lam);
  vline(root, at, box, "l2-x-cursor");
  markers.circle(root, at, y(l2Best(a, lam)), "l2-x-a l2-x-marker");
  markers.diamond(root, at, y(l1Best(a, lam)), "l2-x-b l2-x-marker");
}

export function mount(root) {
  let lam = LAMBDA.start;
  let a = PULL.start;
  const widths = [0, 0];
  const suffix = Math.random().toString(36).slice(2, 8);
  const { controls, boxes, said, place } = frame(["objectives", "paths"]);
  const [objectives, paths] = boxes;
  const redraw = () => {
    if (widths[0]) drawObjectives(objectives, widths[0], a, lam);
    if (widths[1]) drawPaths(paths, widths[1], a, lam);
    said.textContent = readout(a, lam);
  };
  // What a screen reader hears on each step: the value moved, then where both weights land.
  const landing = (setting) =>
    message("explorable.l1l2.landing", { setting, l2: fixed(l2Best(a, lam)), l1: fixed(l1Best(a, lam)) });
  const lambdaControl = slider(controls, {
    id: `l2-x-l1l2-lambda-${suffix}`,
    label: message("explorable.l1l2.rate_control"),
    ...LAMBDA,
    value: lam,
    describe: (v) => ({ short: `λ = ${fixed(v, 2)}`, long: landing(`λ = ${fixed(v, 2)}`) }),
    onInput: (v) => {
      lam = v;
      redraw();
    },
  });
  const pullControl = slider(controls, {
    id: `l2-x-l1l2-pull-${suffix}`,
    label: message("explorable.l1l2.pull_control"),
    ...PULL,
    value: a,
    describe: (v) => ({ short: `a = ${fixed(v, 2)}`, long: landing(`a = ${fixed(v, 2)}`) }),
    onInput: (v) => {
      a = v;
      redraw();
    },
  });
  place(root);
  lambdaControl.update();
  pullControl.update();
  return onWidths([objectives, paths], widths, redraw);
}

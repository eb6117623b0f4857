// The λ challenge (regularization-rate page): a log-scale slider over exact ridge fits of
// the running example, precomputed by scripts/make_figures.py (explore-lambda.json). It
// redraws the weight histogram, ‖w‖ and the losses at the chosen λ. As in a real sweep,
// the loss curves show only the rates tried so far, until the learner locks in a λ: then
// the whole U-curve, the grid's best λ and the test losses (never used to choose) appear.
// Behind the histogram, an outline of the true weights the data was made from shows
// where the flat shape at small λ comes from.

import { message } from "./contract.js";
import {
  axes,
  bars,
  canvas,
  frame,
  html,
  legend,
  markers,
  onWidths,
  pathOf,
  point,
  scale,
  show,
  slider,
  svg,
  text,
  ticks,
  vline,
} from "./explorable-kit.js";

const START_LAMBDA = 0.01;
const HEIGHT = 240;

function describe(data, i, revealed) {
  const best = revealed && i === data.best_index ? message("explorable.lambda.value.best") : "";
  const lam = show(data.lambdas[i]);
  return {
    short: `λ = ${lam}`,
    long: message("explorable.lambda.value", {
      lambda: lam,
      train: show(data.train_loss[i]),
      validation: show(data.validation_loss[i]),
      best,
      norm: show(data.weight_norm[i]),
    }),
  };
}

function readout(data, i, revealed) {
  const best = revealed && i === data.best_index ? message("explorable.lambda.readout.best") : "";
  return message("explorable.lambda.readout", {
    lambda: show(data.lambdas[i]),
    train: show(data.train_loss[i]),
    validation: show(data.validation_loss[i]),
    norm: show(data.weight_norm[i]),
    spread: show(data.weight_std[i]),
    true_spread: show(data.true_weight_std),
    best,
  });
}

// Swatches in a row from (x, y), wrapping at maxX; returns the y below the last row.
function key(root, x, y, maxX, entries) {
  let left = x;
  let top = y;
  for (const { label, className } of entries) {
    const width = 22 + label.length * 6.2; // about 6 px a character at 11 px
    if (left > x && left + width > maxX) {
      left = x;
      top += 16;
    }
    svg("rect", { x: left, y: top - 5, width: 14, height: 10, class: className }, root);
    text(root, left + 20, top + 4, label, { class: "l2-x-tick" });
    left += width + 12;
  }
  return top + 16;
}

// The true weights' histogram as one outline along the tops of its bins.
function outline(root, counts, { start, width: binWidth }, x, y) {
  const points = [[x(start), y(0)]];
  counts.forEach((count, k) => {
    points.push([x(start + k * binWidth), y(count)], [x(start + (k + 1) * binWidth), y(count)]);
  });
  points.push([x(start + counts.length * binWidth), y(0)]);
  return svg("path", { d: pathOf(points), class: "l2-x-true", "data-counts": counts.join(" ") }, root);
}

function drawHistogram(holder, width, data, i) {
  const root = canvas(holder, width, HEIGHT, message("explorable.lambda.histogram"));
  const below = key(root, 8, 34, width - 8, [
    { label: message("explorable.lambda.trained"), className: "l2-x-swatch" },
    { label: message("explorable.lambda.true"), className: "l2-x-true" },
  ]);
  const box = { left: 36, right: width - 10, top: below + 16, bottom: HEIGHT - 40 };
  const end = -data.bin_start;
  const x = scale(data.bin_start, end, box.left, box.right);
  const most = Math.max(...data.counts.flat(), ...data.true_counts);
  const y = scale(0, most, box.bottom, box.top);
  axes(root, box, {
    x,
    y,
    xTicks: ticks(data.bin_start, end, width < 360 ? 4 : 6),
    yTicks: ticks(0, most, 4),
    xLabel: message("explorable.lambda.weight"),
    yLabel: message("explorable.lambda.count"),
    xFormat: show,
  });
  const bins = { start: data.bin_start, width: data.bin_width };
  bars(root, data.counts[i], bins, x, y, "l2-x-bars");
  outline(root, data.true_counts, bins, x, y);
  vline(root, x(0), box, "l2-x-cursor");
  // ‖w‖ as a bar against the largest ‖w‖ on the grid.
  const largest = Math.max(...data.weight_norm);
  const meter = scale(0, largest, box.right - 110, box.right);
  const top = 8;
  svg("rect", { x: meter(0), y: top, width: 110, height: 8, class: "l2-x-meter-track" }, root);
  svg(
    "rect",
    {
      x: meter(0),
      y: top,
      width: meter(data.weight_norm[i]) - meter(0),
      height: 8,
      class: "l2-x-meter",
      "data-value": String(data.weight_norm[i]),
    },
    root,
  );
  text(root, meter(0) - 6, top + 8, `‖w‖ = ${show(data.weight_norm[i])}`, {
    class: "l2-x-label",
    "text-anchor": "end",
  });
}

function result(data, i) {
  const b = data.best_index;
  const mine = message("explorable.lambda.locked", {
    lambda: show(data.lambdas[i]),
    validation: show(data.validation_loss[i]),
    test: show(data.test_loss[i]),
  });
  if (i === b) return message("explorable.lambda.found", { locked: mine });
  return message("explorable.lambda.missed", {
    locked: mine,
    lambda: show(data.lambdas[b]),
    validation: show(data.validation_loss[b]),
    test: show(data.test_loss[b]),
  });
}

function drawCurves(holder, width, data, i, tried, revealed) {
  const root = canvas(holder, width, HEIGHT, message("explorable.lambda.curves"));
  const below = legend(
    root,
    8,
    10,
    [
      { label: message("explorable.lambda.training_loss"), className: "l2-x-a", marker: markers.circle },
      { label: message("explorable.lambda.validation_loss"), className: "l2-x-b", marker: markers.square },
    ],
    width,
  );
  const box = { left: 36, right: width - 12, top: below + 20, bottom: HEIGHT - 40 };
  const lambdas = data.lambdas;
  const x = scale(lambdas[0], lambdas.at(-1), box.left, box.right, { log: true });
  const top = Math.max(...data.validation_loss, ...data.train_loss);
  const y = scale(0, top, box.bottom, box.top);
  const decades = [];
  for (let v = lambdas[0]; v <= lambdas.at(-1) * 1.0001; v *= 10) {
    decades.push(Number(v.toPrecision(1)));
  }
  axes(root, box, {
    x,
    y,
    xTicks: width < 360 ? decades.filter((_, k) => k % 2 === 0) : decades,
    yTicks: ticks(0, top, 4),
    xLabel: message("explorable.lambda.rate"),
    yLabel: message("explorable.lambda.loss"),
  });
  if (revealed) {
    const line = (values) => pathOf(values.map((v, k) => [x(lambdas[k]), y(v)]));
    svg("path", { d: line(data.train_loss), class: "l2-x-a l2-x-curve" }, root);
    svg("path", { d: line(data.validation_loss), class: "l2-x-b l2-x-curve" }, root);
    const b = data.best_index;
    text(root, x(lambdas[b]), y(data.validation_loss[b]) + 18, message("explorable.lambda.lowest"), {
      class: "l2-x-tick l2-x-lowest",
      "text-anchor": "middle",
    });
  } else {
    // Only the rates tried so far, as a sweep would know them.
    for (const k of [...tried].sort((a, b) => a - b)) {
      if (k === i) continue;
      const dot = { cx: x(lambdas[k]), r: 2.5, "data-index": String(k) };
      svg("circle", { ...dot, cy: y(data.train_loss[k]), class: "l2-x-a l2-x-tried" }, root);
      svg("circle", { ...dot, cy: y(data.validation_loss[k]), class: "l2-x-b l2-x-tried" }, root);
    }
  }
  const at = x(lambdas[i]);
  vline(root, at, box, "l2-x-cursor");
  point(root, "circle", at, y(data.train_loss[i]), "l2-x-a", data.train_loss[i]);
  point(root, "square", at, y(data.validation_loss[i]), "l2-x-b", data.validation_loss[i]);
}

export function mount(root, data) {
  let index = Math.max(
    0,
    data.lambdas.findIndex((v) => v >= START_LAMBDA),
  );
  let revealed = false;
  const tried = new Set([index]);
  const widths = [0, 0];
  const { controls, boxes, said, place } = frame(["histogram", "curves"]);
  const [histogram, curves] = boxes;
  const commit = html("button", { type: "button", class: "md-button l2-x-commit" });
  const outcome = html("p", { class: "l2-x-result", role: "status", "aria-live": "polite" });
  const redraw = () => {
    if (widths[0]) drawHistogram(histogram, widths[0], data, index);
    if (widths[1]) drawCurves(curves, widths[1], data, index, tried, revealed);
    said.textContent = readout(data, index, revealed);
    commit.textContent = revealed
      ? message("explorable.lambda.hide")
      : message("explorable.lambda.lock", { lambda: show(data.lambdas[index]) });
    root.dataset.revealed = String(revealed);
  };
  const control = slider(controls, {
    id: `l2-x-lambda-${Math.random().toString(36).slice(2, 8)}`,
    label: message("explorable.lambda.rate_control"),
    min: 0,
    max: data.lambdas.length - 1,
    value: index,
    describe: (i) => describe(data, i, revealed),
    onInput: (i) => {
      index = i;
      tried.add(i);
      redraw();
    },
  });
  commit.addEventListener("click", () => {
    revealed = !revealed;
    outcome.textContent = revealed ? result(data, index) : "";
    if (!revealed) {
      tried.clear();
      tried.add(index);
    }
    control.update();
    redraw();
  });
  place(root);
  root.insertBefore(commit, said.nextSibling);
  commit.after(outcome);
  control.update();
  return onWidths([histogram, curves], widths, redraw);
}

// The early-stopping scrubber (early-stopping page): drag through the steps of a noisy
// mini-batch run (explore-early-stopping.json, from scripts/make_figures.py) and choose a
// patience. Where training stops for each patience comes from the data: the script
// applies the early-stop exercise's rule, with a validation check after every step. The
// page only finds the best step so far (the first lowest loss), so "checks without
// improvement" is simply the distance to it.

import { message } from "./contract.js";
import {
  axes,
  bars,
  canvas,
  frame,
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

const START_PATIENCE = 1; // the false stop first: the learner raises it
const HEIGHT = 240;

function bestSoFar(losses, last) {
  let best = 0;
  for (let epoch = 1; epoch <= last; epoch += 1) if (losses[epoch] < losses[best]) best = epoch;
  return best;
}

function stopFor(data, patience) {
  const k = data.patience.indexOf(patience);
  return { best: data.best_index[k], stopped: data.stopped_index[k] };
}

function readout(data, epoch, patience) {
  const { best, stopped } = stopFor(data, patience);
  const now = message("explorable.stopping.now", {
    step: epoch + 1,
    train: show(data.train_loss[epoch]),
    validation: show(data.validation_loss[epoch]),
  });
  if (epoch < stopped) {
    const b = bestSoFar(data.validation_loss, epoch);
    const waited = epoch - b;
    const values = { now, best: b + 1, loss: show(data.validation_loss[b]), waited, patience };
    return waited === 1
      ? message("explorable.stopping.going.one", values)
      : message("explorable.stopping.going.other", values);
  }
  return message("explorable.stopping.stopped", {
    now,
    patience,
    stopped: stopped + 1,
    kept: best + 1,
    loss: show(data.validation_loss[best]),
    lowest: show(data.validation_loss[data.lowest_index]),
    lowest_step: data.lowest_index + 1,
  });
}

function drawCurves(holder, width, data, epoch, patience) {
  const root = canvas(holder, width, HEIGHT, message("explorable.stopping.curves"));
  const below = legend(
    root,
    8,
    10,
    [
      { label: message("explorable.stopping.training_loss"), className: "l2-x-a", marker: markers.circle },
      { label: message("explorable.stopping.validation_loss"), className: "l2-x-b", marker: markers.square },
      { label: message("explorable.stopping.best"), marker: (r, cx, cy) => markers.diamond(r, cx, cy, "l2-x-kept") },
    ],
    width,
  );
  const box = { left: 36, right: width - 12, top: below + 20, bottom: HEIGHT - 40 };
  const count = data.train_loss.length;
  const x = scale(1, count, box.left, box.right);
  const top = Math.max(...data.validation_loss, ...data.train_loss);
  const y = scale(0, top, box.bottom, box.top);
  axes(root, box, {
    x,
    y,
    xTicks: ticks(0, count, width < 360 ? 3 : 6).filter((v) => v >= 1),
    yTicks: ticks(0, top, 4),
    xLabel: message("explorable.stopping.steps"),
    yLabel: message("explorable.stopping.loss"),
  });
  const { best, stopped } = stopFor(data, patience);
  // The patience window: the epochs after the best one that fail to improve on it.
  const [from, to] = [x(best + 1), x(stopped + 1)];
  const band = { x: from, y: box.top, width: to - from, height: box.bottom - box.top };
  svg("rect", { ...band, class: "l2-x-band" }, root);
  vline(root, to, box, "l2-x-stop").dataset.epoch = String(stopped + 1);
  text(root, to + 4, box.top + 10, message("explorable.stopping.stop", { patience }), { class: "l2-x-tick" });
  const line = (values, first, end) => pathOf(values.slice(first, end).map((v, k) => [x(first + k + 1), y(v)]));
  const series = [
    [data.train_loss, "l2-x-a"],
    [data.validation_loss, "l2-x-b"],
  ];
  for (const [values, className] of series) {
    svg("path", { d: line(values, epoch, count), class: `${className} l2-x-future` }, root);
    svg("path", { d: line(values, 0, epoch + 1), class: className }, root);
  }
  // The best epoch so far; once the rule has stopped, the one it keeps.
  const mark = epoch < stopped ? bestSoFar(data.validation_loss, epoch) : best;
  const kept = markers.diamond(root, x(mark + 1), y(data.validation_loss[mark]), "l2-x-kept");
  kept.dataset.epoch = String(mark + 1);
  const at = x(epoch + 1);
  vline(root, at, box, "l2-x-cursor").dataset.epoch = String(epoch + 1);
  point(root, "circle", at, y(data.train_loss[epoch]), "l2-x-a", data.train_loss[epoch]);
  point(root, "square", at, y(data.validation_loss[epoch]), "l2-x-b", data.validation_loss[epoch]);
}

function drawHistogram(holder, width, data, epoch) {
  const root = canvas(holder, width, HEIGHT, message("explorable.stopping.histogram"));
  const box = { left: 36, right: width - 10, top: 44, bottom: HEIGHT - 40 };
  const end = -data.bin_start;
  const x = scale(data.bin_start, end, box.left, box.right);
  const most = Math.max(...data.counts.flat());
  const y = scale(0, most, box.bottom, box.top);
  axes(root, box, {
    x,
    y,
    xTicks: ticks(data.bin_start, end, width < 360 ? 4 : 6),
    yTicks: ticks(0, most, 4),
    xLabel: message("explorable.stopping.weight"),
    yLabel: message("explorable.stopping.count"),
    xFormat: show,
  });
  const bins = { start: data.bin_start, width: data.bin_width };
  bars(root, data.counts[epoch], bins, x, y, "l2-x-bars");
  vline(root, x(0), box, "l2-x-cursor");
  text(root, box.right, 14, message("explorable.stopping.spread", { spread: show(data.weight_std[epoch]) }), {
    class: "l2-x-label",
    "text-anchor": "end",
  });
}

export function mount(root, data) {
  let epoch = 0;
  let patience = START_PATIENCE;
  const widths = [0, 0];
  const suffix = Math.random().toString(36).slice(2, 8);
  const { controls, boxes, said, place } = frame(["curves", "histogram"]);
  const [curves, histogram] = boxes;
  const redraw = () => {
    if (widths[0]) drawCurves(curves, widths[0], data, epoch, patience);
    if (widths[1]) drawHistogram(histogram, widths[1], data, epoch);
    said.textContent = readout(data, epoch, patience);
  };
  const epochs = slider(controls, {
    id: `l2-x-epoch-${suffix}`,
    label: message("explorable.stopping.steps_control"),
    min: 1,
    max: data.train_loss.length,
    value: epoch + 1,
    describe: (e) => ({
      short: String(e),
      long: message("explorable.stopping.step", {
        step: e,
        train: show(data.train_loss[e - 1]),
        validation: show(data.validation_loss[e - 1]),
      }),
    }),
    onInput: (e) => {
      epoch = e - 1;
      redraw();
    },
  });
  const patiences = slider(controls, {
    id: `l2-x-patience-${suffix}`,
    label: message("explorable.stopping.patience_control"),
    min: data.patience[0],
    max: data.patience.at(-1),
    value: patience,
    describe: (p) => {
      const { best, stopped } = stopFor(data, p);
      const long = message("explorable.stopping.patience", { patience: p, stopped: stopped + 1, kept: best + 1 });
      return { short: String(p), long };
    },
    onInput: (p) => {
      patience = p;
      redraw();
    },
  });
  place(root);
  epochs.update();
  patiences.update();
  return onWidths([curves, histogram], widths, redraw);
}

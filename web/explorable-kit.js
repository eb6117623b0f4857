// Small drawing and control helpers shared by the explorables: plain SVG built by hand
// (no plotting library), native range inputs, and a width observer so text stays a
// readable size at any column width instead of shrinking with a scaled viewBox.

const SVG_NS = "http://www.w3.org/2000/svg";

// An HTML element with attributes and optional text.
export function html(tag, attrs = {}, text = "") {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, value);
  if (text) element.textContent = text;
  return element;
}

// What every explorable is made of: a row of controls, two drawing panels (side by side,
// one column when narrow) and a readout line that says the state in words. `names` name
// the panels (data-panel). Returns the parts; the caller fills them, then place(root).
export function frame(names) {
  const controls = html("div", { class: "l2-x-controls" });
  const panels = html("div", { class: "l2-x-panels" });
  const boxes = names.map((name) => html("div", { class: "l2-x-panel", "data-panel": name }));
  panels.append(...boxes);
  const said = html("p", { class: "l2-x-readout" });
  const place = (root) => root.replaceChildren(controls, panels, said);
  return { controls, boxes, said, place };
}

// An SVG element, appended to parent when given. Numbers are rounded to 0.1 px.
/** @param {Element | null} [parent] */
export function svg(tag, attrs = {}, parent = null) {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) {
    element.setAttribute(name, typeof value === "number" ? String(round1(value)) : value);
  }
  if (parent) parent.append(element);
  return element;
}

export function text(parent, x, y, content, attrs = {}) {
  const element = svg("text", { x, y, ...attrs }, parent);
  element.textContent = content;
  return element;
}

const round1 = (value) => Math.round(value * 10) / 10;

// Maps [d0, d1] onto [r0, r1], linearly or on a log scale.
export function scale(d0, d1, r0, r1, { log = false } = {}) {
  const f = log ? Math.log : (v) => v;
  const a = f(d0);
  const k = (r1 - r0) / (f(d1) - a);
  return (v) => r0 + (f(v) - a) * k;
}

// "M x y L x y ..." through the points [x, y] already in pixels.
export function pathOf(points) {
  return points.map(([x, y], i) => `${i ? "L" : "M"}${round1(x)} ${round1(y)}`).join("");
}

// Round tick values (1, 2 or 5 times a power of ten) covering [min, max].
export function ticks(min, max, count = 5) {
  const rough = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = /** @type {number} */ ([1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough));
  /** @type {number[]} */
  const values = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) {
    values.push(Number(v.toPrecision(12)));
  }
  return values;
}

// A fresh <svg> of the given pixel size (replacing the old one in holder).
export function canvas(holder, width, height, label) {
  const root = svg("svg", {
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    class: "l2-x-svg",
    role: "img",
    "aria-label": label,
  });
  holder.replaceChildren(root);
  return root;
}

/**
 * Left and bottom axes with ticks, labels and light grid lines.
 * @param {{x: (v: number) => number, y: (v: number) => number, xTicks: number[], yTicks: number[],
 *   xLabel: string, yLabel: string, xFormat?: (v: number) => string}} options
 */
export function axes(root, box, options) {
  const { x, y, xTicks, yTicks, xLabel, yLabel, xFormat = String } = options;
  const grid = svg("g", { class: "l2-x-grid" }, root);
  for (const v of yTicks) {
    svg("line", { x1: box.left, x2: box.right, y1: y(v), y2: y(v) }, grid);
    text(root, box.left - 5, y(v) + 4, String(v), { class: "l2-x-tick", "text-anchor": "end" });
  }
  for (const v of xTicks) {
    svg("line", { x1: x(v), x2: x(v), y1: box.top, y2: box.bottom }, grid);
    text(root, x(v), box.bottom + 15, xFormat(v), { class: "l2-x-tick", "text-anchor": "middle" });
  }
  const frame = `M${box.left} ${box.top}V${box.bottom}H${box.right}`;
  svg("path", { d: frame, class: "l2-x-axis" }, root);
  text(root, (box.left + box.right) / 2, box.bottom + 31, xLabel, {
    class: "l2-x-label",
    "text-anchor": "middle",
  });
  if (yLabel) text(root, box.left, box.top - 8, yLabel, { class: "l2-x-label" });
}

// Bars of one histogram row; each bar carries its count for tests and tools.
export function bars(root, counts, { start, width: binWidth }, x, y, className) {
  const group = svg("g", { class: className }, root);
  counts.forEach((count, i) => {
    const left = x(start + i * binWidth);
    const right = x(start + (i + 1) * binWidth);
    svg(
      "rect",
      {
        x: left + 0.5,
        y: y(count),
        width: Math.max(right - left - 1, 0.5),
        height: y(0) - y(count),
        "data-count": String(count),
      },
      group,
    );
  });
  return group;
}

// A labelled native range input and its visible value. `describe(value)` gives both the
// visible value and aria-valuetext, so a screen reader hears what the eye sees.
export function slider(parent, { id, label, min, max, step = 1, value, describe, onInput }) {
  const row = html("div", { class: "l2-x-control" });
  const name = html("label", { for: id }, label);
  const input = html("input", { type: "range", id, min, max, step, value });
  const shown = html("output", { for: id, class: "l2-x-value" });
  row.append(name, input, shown);
  parent.append(row);
  const update = () => {
    onInput(Number(input.value));
    const text = describe(Number(input.value));
    shown.textContent = text.short;
    input.setAttribute("aria-valuetext", text.long);
  };
  input.addEventListener("input", update);
  return { input, update };
}

// Calls draw(width) now and whenever the element's width changes; returns a disconnect.
export function onWidth(element, draw) {
  let last = -1;
  const check = () => {
    const width = Math.round(element.clientWidth);
    if (width > 0 && width !== last) {
      last = width;
      draw(width);
    }
  };
  const observer = new ResizeObserver(check);
  observer.observe(element);
  check();
  return () => observer.disconnect();
}

// Each panel's width kept in widths[k]; redraw() whenever one changes. Returns a stop().
export function onWidths(panels, widths, redraw) {
  const stops = panels.map((panel, k) =>
    onWidth(panel, (width) => {
      widths[k] = width;
      redraw();
    }),
  );
  return () => {
    for (const stop of stops) stop();
  };
}

// A key of line samples in a row from (x, y), wrapping at maxX: colour is never the only
// cue. Returns the y below the last row.
export function legend(root, x, y, entries, maxX = Infinity) {
  let left = x;
  let top = y;
  for (const { label, className, marker } of entries) {
    const width = 34 + label.length * 6.2; // about 6 px a character at 11 px
    if (left > x && left + width > maxX) {
      left = x;
      top += 16;
    }
    if (className) svg("path", { d: `M${left} ${top}h24`, class: className }, root);
    if (marker) marker(root, left + 12, top, `${className} l2-x-marker`);
    text(root, left + 30, top + 4, label, { class: "l2-x-tick" });
    left += width + 10;
  }
  return top + 16;
}

export const markers = {
  circle: (root, cx, cy, className) => svg("circle", { cx, cy, r: 4.5, class: className }, root),
  square: (root, cx, cy, className) =>
    svg("rect", { x: cx - 4, y: cy - 4, width: 8, height: 8, class: className }, root),
  diamond: (root, cx, cy, className) => {
    const d = `M${round1(cx)} ${round1(cy - 5.5)}l5.5 5.5l-5.5 5.5l-5.5-5.5z`;
    return svg("path", { d, class: className }, root);
  },
};

// A vertical line across the plot box at pixel x.
export function vline(root, x, box, className) {
  return svg("line", { x1: x, x2: x, y1: box.top, y2: box.bottom, class: className }, root);
}

// A marked point whose data-value says which number it shows.
export function point(root, shape, cx, cy, series, value) {
  const mark = markers[shape](root, cx, cy, `${series} l2-x-marker l2-x-point`);
  mark.dataset.value = String(value);
  return mark;
}

// Numbers as the data holds them ("0.0011", "8.665"), with a true minus sign.
export function show(value) {
  return String(value).replace("-", "−");
}

// A document just big enough for web/exercise-result.js: elements with children, text,
// attributes, classes and dataset, so node --test can read what the panel would show.
class FakeElement {
  constructor(tag) {
    this.tagName = tag.toUpperCase();
    this.children = [];
    this.attributes = {};
    this.dataset = {};
    this.className = "";
    this.ownText = "";
    const classes = () => new Set(this.className.split(/\s+/).filter(Boolean));
    this.classList = {
      contains: (name) => classes().has(name),
      toggle: (name, on) => {
        const set = classes();
        if (on) set.add(name);
        else set.delete(name);
        this.className = [...set].join(" ");
      },
    };
  }

  set textContent(text) {
    this.children = [];
    this.ownText = String(text);
  }

  get textContent() {
    return this.ownText + this.children.map((c) => (typeof c === "string" ? c : c.textContent)).join("");
  }

  append(...nodes) {
    this.children.push(...nodes);
  }

  replaceChildren(...nodes) {
    this.ownText = "";
    this.children = [...nodes];
  }

  setAttribute(name, value) {
    this.attributes[name] = String(value);
  }

  getAttribute(name) {
    return this.attributes[name] ?? null;
  }

  /** Descendant elements whose class list has `name` (a stand-in for querySelectorAll). */
  byClass(name) {
    const found = [];
    for (const child of this.children) {
      if (typeof child === "string") continue;
      if (child.classList.contains(name)) found.push(child);
      found.push(...child.byClass(name));
    }
    return found;
  }

  /** Descendant elements of tag `tag`. */
  byTag(tag) {
    const found = [];
    for (const child of this.children) {
      if (typeof child === "string") continue;
      if (child.tagName === tag.toUpperCase()) found.push(child);
      found.push(...child.byTag(tag));
    }
    return found;
  }
}

globalThis.document = { createElement: (tag) => new FakeElement(tag) };

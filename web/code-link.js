// A link to one's code for one exercise: the code travels in the URL's fragment
// (#code=<exercise id>:<base64url of its UTF-8>), which the browser never sends to a server.
// Opening such a link offers that code in the exercise, beside the learner's own code,
// which it never replaces unless they choose "Use this code". The widget calls
// mountCodeLink; web/page.js mounts mountLinkNotice on each page, for a link that no
// exercise of the page can show (too long, unreadable, another page, no such exercise).

import { message } from "./contract.js";
import { courseMap } from "./progress.js";

export const MAX_FRAGMENT = 100_000;
const PREFIX = "#code=";
const FORM = /^#code=([A-Za-z0-9_.-]{1,100}):([A-Za-z0-9_-]*)$/;
const SITE_ROOT = new URL("../../", import.meta.url); // bundled into assets/course/

function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** base64url (no padding) of the UTF-8 bytes of `text`. */
export function encodeCode(text) {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The text whose UTF-8 `encoded` holds (base64url), or null if it holds none. */
export function decodeCode(encoded) {
  try {
    const binary = atob(encoded.replace(/-/g, "+").replace(/_/g, "/"));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * What a fragment holds: null (no code link), {id, code} or {error: sentence}.
 * @returns {{id: string, code: string, error?: undefined} | {error: string, id?: undefined, code?: undefined} | null}
 */
export function parseFragment(hash) {
  if (!hash?.startsWith(PREFIX)) return null;
  if (hash.length > MAX_FRAGMENT) {
    const grouped = (n) => n.toLocaleString("en-US");
    return { error: message("link.too_long", { length: grouped(hash.length), max: grouped(MAX_FRAGMENT) }) };
  }
  const match = FORM.exec(hash);
  const code = match ? decodeCode(match[2]) : null;
  if (match === null || code === null) return { error: message("link.invalid") };
  return { id: match[1], code };
}

// The link of the page being shown, read once per page and forgotten once used or
// dismissed. Material may rewrite the fragment as the page scrolls, so a page opened in
// full reads the copy its <head> kept (hooks/head.py); instant navigation reads its own.
/** @type {{path: string | null, link: ReturnType<typeof parseFragment>}} */
let current = { path: null, link: null };
function linkOfThisPage() {
  if (current.path !== location.pathname) {
    const kept = window.__l2Fragment;
    window.__l2Fragment = undefined;
    const hash = kept && kept.path === location.pathname ? kept.hash : location.hash;
    current = { path: location.pathname, link: parseFragment(hash) };
  }
  return current.link;
}
function forgetLink() {
  current.link = null;
  if (location.hash.startsWith(PREFIX)) history.replaceState(history.state, "", location.pathname + location.search);
}

/**
 * The exercise's part: a "Copy a link to my code" button at the end of `root` (after every
 * control the learner tabs through while working), and the offer of the code from the
 * page's link, before `editorBox`, when it is for this exercise. Returns {destroy}.
 */
export function mountCodeLink({ id, editor, root, editorBox }) {
  const box = el("div", { class: "l2-ex__link" });
  const copy = el("button", { type: "button", class: "l2-ex__copy-link" }, message("link.label.copy"));
  // Announced politely, but no role=status: the result panel is the exercise's one status.
  const said = el("div", { class: "l2-ex__link-status", "aria-live": "polite" });
  box.append(copy, said);
  root.append(box);
  copy.addEventListener("click", async () => {
    const url = `${location.href.split("#")[0]}${PREFIX}${id}:${encodeCode(editor.getCode())}`;
    const field = el("input", {
      type: "text",
      readonly: "",
      class: "l2-ex__link-url",
      "aria-label": message("link.copy_here"),
    });
    field.value = url;
    let copied = false;
    try {
      await navigator.clipboard.writeText(url);
      copied = true;
    } catch {
      copied = false; // no clipboard here: the link is shown to copy by hand
    }
    said.replaceChildren(el("p", {}, message(copied ? "link.copied" : "link.copy_here")), field);
    if (!copied) field.select();
  });

  const link = linkOfThisPage();
  if (link && link.error === undefined && link.id === id) offerLinkedCode(link.code, { editor, editorBox, copy });
  return {
    destroy() {
      box.remove();
      root.querySelector(".l2-ex__linked")?.remove();
    },
  };
}

/** The code from the page's link, offered before `editorBox`: use it, or dismiss it. */
function offerLinkedCode(linked, { editor, editorBox, copy }) {
  const offer = el("div", { class: "l2-ex__linked", role: "group", "aria-label": message("link.label.linked") });
  const code = el("pre", {
    class: "l2-ex__linked-code",
    tabindex: "0",
    role: "region",
    "aria-label": message("link.label.linked"),
  });
  code.append(el("code", { class: "language-python" }, linked));
  const use = el("button", { type: "button", class: "l2-ex__use-linked" }, message("link.label.use"));
  const dismiss = el("button", { type: "button", class: "l2-ex__dismiss-linked" }, message("link.label.dismiss"));
  const actions = el("div", { class: "l2-ex__actions" });
  actions.append(use, dismiss);
  offer.append(el("p", {}, message("link.offer")), code, actions);
  editorBox.before(offer);
  use.addEventListener("click", () => {
    editor.replaceCode(linked); // an edit like any other: saved, and Undo takes it back
    offer.remove();
    forgetLink();
    editor.focus();
  });
  dismiss.addEventListener("click", () => {
    offer.remove();
    forgetLink();
    copy.focus();
  });
}

/** A page's notice for a code link that none of its exercises shows. */
export async function mountLinkNotice(article) {
  const link = linkOfThisPage();
  if (!link) return null;
  let sentence = link.error;
  let target = null;
  if (link.error === undefined && !article.querySelector(`[data-exercise="${CSS.escape(link.id)}"]`)) {
    const map = await courseMap().catch(() => ({ pages: [] }));
    const page = map.pages.find((p) => p.items.some((i) => i.kind === "exercise" && i.id === link.id));
    if (page) {
      sentence = message("link.elsewhere", { title: page.title });
      target = el("a", { href: new URL(page.url, SITE_ROOT).href + location.hash }, page.title);
    } else {
      sentence = message("link.unknown", { id: link.id });
    }
  }
  if (!sentence) return null;
  const notice = el("div", { class: "admonition warning l2-link-notice", role: "alert" });
  notice.append(el("p", {}, sentence));
  if (target) {
    const line = el("p");
    line.append(target);
    notice.append(line);
  }
  article.prepend(notice);
  return { destroy: () => notice.remove() };
}

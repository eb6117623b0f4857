// The code editor of an exercise: CodeMirror 6 with Python highlighting, undo, line
// numbers, bracket matching, long lines wrapped, Ctrl/Cmd+Enter to submit, and a highlight
// for the line an error points at. Tab never edits code for someone tabbing through the
// page (see tabPolicy). No autocompletion: a popup that swallows Enter surprises people
// learning to type code.

import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { pythonLanguage } from "@codemirror/lang-python";
import { bracketMatching, indentOnInput, indentUnit, LanguageSupport, syntaxHighlighting } from "@codemirror/language";
import { EditorState, Prec, StateEffect, StateField, Transaction } from "@codemirror/state";
import {
  Decoration,
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
} from "@codemirror/view";
import { classHighlighter } from "@lezer/highlight";

const setErrorLine = StateEffect.define();
const errorLineMark = Decoration.line({ class: "l2-error-line" });

// The learner's error line stays marked until the code changes.
const errorLine = StateField.define({
  create: () => Decoration.none,
  update(marks, tr) {
    for (const effect of tr.effects) {
      if (effect.is(setErrorLine)) {
        const n = effect.value;
        if (!n || n < 1 || n > tr.state.doc.lines) return Decoration.none;
        return Decoration.set([errorLineMark.range(tr.state.doc.line(n).from)]);
      }
    }
    return tr.docChanged ? Decoration.none : marks;
  },
  provide: (field) => EditorView.decorations.from(field),
});

/**
 * What Tab does, on top of CodeMirror's tab-focus mode (Tab moves focus while it is on):
 * arriving in the editor by keyboard (or from one of the widget's buttons) turns it on, so
 * the next Tab moves on; typing or clicking in the editor turns it off, so Tab indents;
 * Escape turns it on again until the learner types or clicks, however long the pause
 * (CodeMirror's own Escape only lasts two seconds). The hint under the editor says this.
 */
function tabPolicy() {
  let pointer = false; // the focus about to arrive comes from a click or a touch
  const writing = (tr) => tr.docChanged && tr.annotation(Transaction.userEvent) && !tr.isUserEvent("input.replace");
  return [
    EditorView.domEventHandlers({
      pointerdown(_event, view) {
        pointer = true;
        view.setTabFocusMode(false);
        return false;
      },
      focus(_event, view) {
        if (!pointer) view.setTabFocusMode(true);
        pointer = false;
        return false;
      },
      blur() {
        pointer = false;
        return false;
      },
      keydown(event, view) {
        if (event.key === "Escape") view.setTabFocusMode(true);
        return false;
      },
    }),
    EditorView.updateListener.of((update) => {
      if (update.transactions.some(writing)) update.view.setTabFocusMode(false);
    }),
  ];
}

/** The editor's extensions: Python, the keyboard policy, and the page's hooks. */
function extensions({ label, describedBy, onChange, onSubmit }) {
  return [
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    history(),
    drawSelection(),
    indentOnInput(),
    indentUnit.of("    "),
    EditorState.tabSize.of(4),
    // Token classes (tok-keyword, ...) coloured by exercise.css from Material's code
    // colours, so the editor matches the page's code blocks in light and dark schemes.
    syntaxHighlighting(classHighlighter),
    bracketMatching(),
    closeBrackets(),
    highlightActiveLine(),
    // The language alone: python() adds completion sources, and there is no completion.
    new LanguageSupport(pythonLanguage),
    EditorView.lineWrapping, // a 320 px screen still shows the whole starter code
    errorLine,
    tabPolicy(),
    Prec.highest(keymap.of([{ key: "Mod-Enter", run: () => (onSubmit(), true), preventDefault: true }])),
    keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, indentWithTab]),
    EditorView.contentAttributes.of({
      "aria-label": label,
      "aria-describedby": describedBy,
      "aria-multiline": "true",
    }),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) onChange(update.state.doc.toString());
    }),
  ];
}

/**
 * Create the editor in `parent`.
 * @param {{parent: Element, doc: string, label: string, describedBy: string,
 *          onChange: (code: string) => void, onSubmit: () => void}} options
 */
export function createEditor({ parent, doc, ...hooks }) {
  const view = new EditorView({ parent, state: EditorState.create({ doc, extensions: extensions(hooks) }) });

  return {
    view,
    getCode: () => view.state.doc.toString(),
    /** Replace the whole text as one undoable step (never a silent overwrite). */
    replaceCode(code) {
      view.dispatch({
        changes: { from: 0, to: view.state.doc.length, insert: code },
        userEvent: "input.replace",
        scrollIntoView: true,
      });
    },
    /** Mark (and scroll to) the learner's line `n`; 0 or null clears the mark. */
    markLine(n) {
      const valid = Number.isInteger(n) && n >= 1 && n <= view.state.doc.lines;
      // Nothing marked and nothing to mark: no transaction (one reads the DOM's selection).
      if (!valid && view.state.field(errorLine).size === 0) return;
      view.dispatch({
        effects: [
          setErrorLine.of(valid ? n : null),
          ...(valid ? [EditorView.scrollIntoView(view.state.doc.line(n).from, { y: "nearest" })] : []),
        ],
      });
    },
    focus: () => view.focus(),
    destroy: () => view.destroy(),
  };
}

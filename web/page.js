// The page's one entry script: registers every component and mounts them all from a single
// subscription to Material's document$ (see web/components.js for how to add one).

import { mountLinkNotice } from "./code-link.js";
import { register, start } from "./components.js";
import { mountExercise } from "./exercise.js";
import { mountExplorable } from "./explorables.js";
import { mountKeepWork } from "./keep-work.js";
import { mountMath } from "./math.js";
import { buildChanged } from "./page-config.js";
import { mountPrefetch } from "./prefetch.js";
import { mountProgress } from "./progress.js";
import { mountQuestion } from "./questions.js";
import { mountGradebook } from "./teach.js";
import { mountWorkPanel } from "./work-panel.js";

register(".arithmatex", mountMath);
register("form[data-question]", mountQuestion);
register(".l2-exercise[data-exercise]", mountExercise);
register(".l2-explorable[data-explorable]", mountExplorable);
register(".l2-predict[data-explorable]", mountExplorable); // a prediction before a figure
// Download and restore, on the recap page.
register("[data-work-file]", mountWorkPanel);
// The teacher's gradebook (docs/teach.md).
register("[data-l2-gradebook]", mountGradebook);
// Page-wide parts need the article, new on every page; an element mounts one component,
// so they are mounted together: navigation marks, reset and overview; the request to keep
// storage; a link to someone's code (#code=...) that no exercise of this page can show.
const pageWide = [mountProgress, mountKeepWork, mountLinkNotice];
register("article.md-content__inner", async (article) => {
  const parts = await Promise.all(
    pageWide.map((mount) =>
      Promise.resolve()
        .then(() => mount(article))
        .catch((error) => (console.error("l2-course: could not mount", mount.name, error), null)),
    ),
  );
  return {
    destroy: () => {
      for (const part of parts) part?.destroy?.();
    },
  };
});
// Python fetched while the learner reads a page without an exercise (web/prefetch.js), on
// Material's container (new on every page too): an element mounts one component only.
register('[data-md-component="container"]', mountPrefetch);

// A page of another deploy that instant navigation swapped in would run with this
// deploy's scripts and grader: it is loaded in full instead (location is already its URL).
start(() => !buildChanged() || (location.reload(), false));

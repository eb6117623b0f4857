// The page's one entry script: registers every component and mounts them all from a single
// subscription to Material's document$ (see web/components.js for how to add one).

import { register, start } from "./components.js";
import { mountExercise } from "./exercise.js";
import { mountExplorable } from "./explorables.js";
import { mountMath } from "./math.js";
import { mountPrefetch } from "./prefetch.js";
import { mountProgress } from "./progress.js";
import { mountQuestion } from "./questions.js";

register(".arithmatex", mountMath);
register("form[data-question]", mountQuestion);
register(".l2-exercise[data-exercise]", mountExercise);
register(".l2-explorable[data-explorable]", mountExplorable);
// Page-wide (navigation marks, reset, overview): the article is new on every page.
register("article.md-content__inner", mountProgress);
// Python fetched while the learner reads a page without an exercise (web/prefetch.js), on
// Material's container (new on every page too): an element mounts one component only.
register('[data-md-component="container"]', mountPrefetch);

start();

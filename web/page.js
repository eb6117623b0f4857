// The page's one entry script: registers every component and mounts them all from a single
// subscription to Material's document$ (see web/components.js for how to add one).

import { register, start } from "./components.js";
import { mountExercise } from "./exercise.js";
import { mountMath } from "./math.js";
import { mountQuestion } from "./questions.js";

register(".arithmatex", mountMath);
register("form[data-question]", mountQuestion);
register(".l2-exercise[data-exercise]", mountExercise);

start();

// Starts the Python worker from the <head> of pages that have an exercise (the build adds
// it there), so Pyodide loads while the rest of the page is still being parsed. The
// widget code imports the same runtime module later and finds the worker already booting.
import { start } from "./exercise-runtime.js";

start();

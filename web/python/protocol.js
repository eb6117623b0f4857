// The messages between the page and its Python worker (web/worker.js), every one
// {type, id}: a request's answer carries the request's id; id 0 is the early worker's
// init (web/python-early.js) and the unasked snapshot. Types only: nothing here runs.
//
// Boot is either a restore of a memory snapshot (this tab's own, or one kept in Cache
// Storage from an earlier visit) or a fresh boot, which takes a snapshot before any
// learner code runs and hands it to the page, once asked, for the next workers.

/**
 * The worker's settings: the page config's Python URLs, resolved (web/page-config.js).
 * Without a snapshot they ride in the worker's URL (`worker.js#init=<JSON>`), so that it
 * boots without waiting for the page's busy main thread to relay a message.
 * @typedef {object} InitRequest
 * @property {"init"} type
 * @property {number} id
 * @property {string} indexURL
 * @property {string} packageBaseUrl
 * @property {string} graderURL
 * @property {string} cacheKey
 * @property {string} cacheName  "" when there is no Cache Storage, or its snapshot failed
 * @property {Blob | null} snapshot  this tab's image to restore, if it has one
 *
 * @typedef {{type: "job", id: number, kind: "grade" | "run" | "table", exercise?: string, code: string,
 *   packages: string[], nonce?: string}} JobRequest
 *   load the exercise's packages and those `code` imports (and the rest of the standard
 *   library when needed), then StartedReply (the time limit starts), then ResultReply with
 *   grader.grade(exercise, code) or grader.run(code); ErrorReply if loading failed. A
 *   "table" (the teacher's page) loads nothing: its code is grader.grades.table's data as
 *   JSON, and its result is that table
 * @typedef {{type: "snapshot", id: 0}} SnapshotRequest
 *   after a fresh boot, once the page is idle: send the image
 * @typedef {InitRequest | JobRequest | SnapshotRequest} Request
 */

/**
 * @typedef {{type: "ready", id: number, boot?: "snapshot" | "fresh",
 *   timings?: Record<string, number>}} ReadyReply  the answer to init
 * @typedef {{type: "started", id: number}} StartedReply  a job's code is about to run
 * @typedef {{type: "snapshot", id: 0, blob: Blob, sha256: string, stored?: boolean}} SnapshotReply
 *   the interpreter before any job: asked for after a fresh boot; unasked (stored: true)
 *   after a restore from Cache Storage
 * @typedef {{type: "progress", id: number, text: string, bytes?: {loaded: number, total: number, waiting: string[]}}} ProgressReply  what is loading; bytes: of the boot files
 * @typedef {{type: "result", id: number, result: import("../contract.js").Result}} ResultReply  the grader's dict
 * @typedef {{type: "error", id: number, message: string, packages?: string[],
 *   snapshotFailed?: boolean}} ErrorReply  outside the learner's code: packages that could
 *   not be loaded, a snapshot that did not restore, or any other failure
 * @typedef {{type: "crashed", id: number, message: string}} CrashedReply
 *   Pyodide hit a fatal error: this worker is done
 * @typedef {ReadyReply | StartedReply | SnapshotReply | ProgressReply | ResultReply | ErrorReply | CrashedReply} Reply
 */

export {};

// Run by bench_site.py inside the page: one Submit (right away, or after a pause), or a runaway Submit ended by Stop or by
// the time limit, timed from the click (or the time-out) to a ready worker and the next verdict.
(async ([mode, loop, good]) => {
    const ex = document.querySelector('[data-exercise]');
    const status = ex.querySelector('[role=status]');
    const btn = (name) => [...ex.querySelectorAll('button')].find(b => b.textContent.trim() === name);
    const until = (test) => new Promise((resolve) => {
        if (test()) return resolve(performance.now());
        const seen = new MutationObserver(() => { if (test()) { seen.disconnect(); resolve(performance.now()); } });
        seen.observe(ex, {subtree: true, attributes: true, childList: true, characterData: true});
    });
    const submit = async (code, settle = true) => {
        ex.l2Editor.replaceCode(code);
        status.removeAttribute('data-verdict');
        // A learner's last keystroke is drawn before they can click: two frames, then Submit.
        if (settle) await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 0))));
        const t0 = performance.now();
        btn('Submit').click();
        const t1 = await until(() => status.hasAttribute('data-verdict'));
        // ...and drawn: the next frame's rendering is done when a task queued in it runs.
        const t2 = await new Promise((r) => requestAnimationFrame(() => setTimeout(() => r(performance.now()), 0)));
        return [t1 - t0, status.getAttribute('data-verdict'), t2 - t0, t1];
    };
    if (mode === 'submit') return await submit(good);
    // Every job has an interpreter of its own: give the next one time to be restored.
    if (mode === 'submit-after-pause') {
        await new Promise((r) => setTimeout(r, 1500));
        return await submit(good);
    }
    // A learner reads and types for a few seconds before the next Submit.
    await new Promise((r) => setTimeout(r, 3000));
    ex.l2Editor.replaceCode(loop);
    status.removeAttribute('data-verdict');
    btn('Submit').click();
    let t0;
    if (mode === 'stop') {
        await until(() => ex.dataset.python === 'ready' && !btn('Stop').disabled);
        await new Promise((r) => setTimeout(r, 300));
        t0 = performance.now();
        btn('Stop').click();
    } else {
        t0 = await until(() => status.getAttribute('data-verdict') === 'timeout');
    }
    await until(() => status.hasAttribute('data-verdict'));
    const ready = await until(() => ex.dataset.python === 'ready');
    const [, verdict, , t1] = await submit(good, false); // right away: the code is the same
    const boot = performance.getEntriesByName('l2:python-ready').at(-1);
    return [ready - t0, t1 - t0, verdict, boot ? boot.detail : null];
})

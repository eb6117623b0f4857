"""The rest of the standard library, loaded on first use (added to the site's Pyodide).

The site ships Pyodide's standard library in two zips (scripts/precompile-stdlib.mjs): what
a first verdict imports, precompiled, in ``python_stdlib.zip``, and every other module in
``python_stdlib_rest.zip``, beside it. Python imports this module at start-up (``site``
does, as it does any ``sitecustomize``); it adds a finder that, when a module of the rest
is imported, puts that zip in place (the page's worker usually has, before the job:
``L2_STDLIB_REST_URL`` names it) and loads the module from it, as if it had always been
there.
"""

import os
import sys

# The dotted names of the modules in the rest zip (filled in by precompile-stdlib.mjs).
REST = frozenset()
_BOOT = next((entry for entry in sys.path if entry.endswith(".zip")), "/lib/python3.zip")
REST_PATH = _BOOT[: -len(".zip")] + "-rest.zip"


def needs_rest(names, always=False):
    """Whether importing any of ``names`` (dotted module names) needs the rest zip, which
    is not in place yet (``always``: whatever the names, e.g. before loading a package)."""
    return not os.path.exists(REST_PATH) and (always or any(name in REST for name in names))


def _download(url):
    from js import XMLHttpRequest  # a worker may load synchronously

    request = XMLHttpRequest.new()
    request.open("GET", url, False)
    request.responseType = "arraybuffer"
    request.send()
    if request.status != 200:
        raise OSError(f"{url} answered {request.status}")
    return request.response.to_bytes()


def _mount(fullname):
    if not os.path.exists(REST_PATH):
        url = os.environ.get("L2_STDLIB_REST_URL")
        try:
            if not url:
                raise OSError("no address to load it from")
            data = _download(url)
            with open(REST_PATH + ".part", "wb") as file:
                file.write(data)
            os.replace(REST_PATH + ".part", REST_PATH)
        except Exception as error:  # noqa: BLE001 - any failure to fetch is this one
            raise ImportError(
                f"{fullname} is part of Python's standard library that this site loads on "
                f"first use, and it could not be loaded: is the network down? ({error})",
                name=fullname,
            ) from None


class RestOfTheStandardLibrary:
    """Last on ``sys.meta_path``: only asked for what no other finder has. It finds every
    module of the rest itself (``sys.path`` stays as it was: the grader counts a change
    there as the learner's code changing Python); a package found here finds its own
    submodules through its ``__path__``, inside the rest zip."""

    @classmethod
    def find_spec(cls, fullname, path=None, target=None):
        if fullname not in REST:
            return None
        _mount(fullname)
        import zipimport

        parent = fullname.rpartition(".")[0]
        where = REST_PATH + ("/" + parent.replace(".", "/") + "/" if parent else "")
        return zipimport.zipimporter(where).find_spec(fullname)

    @classmethod
    def invalidate_caches(cls):
        pass


sys.meta_path.append(RestOfTheStandardLibrary)

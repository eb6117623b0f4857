"""Build hooks of the course site: ``hooks/course.py``, which MkDocs reaches through
``mkdocs_hooks.py`` at the repository root (see mkdocs.yml)."""

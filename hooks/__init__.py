"""Build hooks of the course site; MkDocs loads ``hooks/course.py`` (see mkdocs.yml)."""

"""Framework-free core of the compliance site: load, validate, render, trace links.

Nothing in this package imports mkdocs, so the same core can sit behind another
static-site generator; `hooks/compliance_hooks.py` is the MkDocs adapter.
"""

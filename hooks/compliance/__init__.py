"""The framework-free core of the compliance site: data/ and docs/ in, a checked site and its links out.

Stages run one way (load -> model -> render -> publish; links and pdf work on a built site), and
nothing here imports mkdocs, so the same core can sit behind another static-site generator;
`hooks/compliance_hooks.py` is the MkDocs adapter.
"""

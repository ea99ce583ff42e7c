"""Publish: a rendered site in, the published folder (or the previous one, untouched), its headers and checks out."""

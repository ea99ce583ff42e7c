"""Publish: a finished build in a staging folder in, the site swapped into place (or left as it was) out."""

"""Publish: the options and folders of one build in, a published site (or the previous one, untouched) out."""

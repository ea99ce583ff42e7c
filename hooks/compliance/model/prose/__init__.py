"""Prose: an editor's Markdown value in, each mention read as what it says, and every problem placed, out."""

"""PDF: a built site in, one PDF of the whole guide printed by Chromium out (`make pdf`)."""

"""Links: a built site and its link map in, each external link's verdict (via LinkChecker) out."""

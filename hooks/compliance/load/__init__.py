"""Load: data files' bytes and docs/ in, YAML values with their line and column (a SourceMap) out."""

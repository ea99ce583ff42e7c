"""Render: the ComplianceData in, the site plan, Markdown pages, HTML prose and site files out."""

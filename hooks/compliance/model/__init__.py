"""Model: YAML values and their positions in, the validated, resolved ComplianceData (or every problem) out."""

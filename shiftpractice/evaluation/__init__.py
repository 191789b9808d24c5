"""Programme evaluation. For now only the pure paired analysis (:mod:`.analysis`), see ``docs/evaluation.md``."""

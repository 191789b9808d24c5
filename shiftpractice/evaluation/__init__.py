"""Programme evaluation: the plan (questions and indicators agreed with critical friends), surveys and their
windows, responses, and results shown only as aggregates. The paired statistics are the pure
:mod:`.analysis` package; see ``docs/evaluation.md``."""

"""Paired before/after analysis of survey answers: pure NumPy, SciPy and the standard library.

It reproduces what R 4.2's ``t.test(after, before, paired = TRUE)``, ``wilcox.test(after, before,
paired = TRUE, conf.int = TRUE)`` and ``binom.test`` report, with the fields and definitions of
``shared/docs/evaluation-spec.md``; ``docs/evaluation.md`` describes the API, the command line
(``python -m shiftpractice.evaluation.analysis < input.json``) and its errors.

Examples
--------
>>> from shiftpractice.evaluation.analysis import AnalysisInputError, analyse
>>> res = analyse([3, 4, 2, 5, 4, None], [4, 6, 2, 5, 7, 6])
>>> res.n_pairs, res.n_missing, res.n_positive, res.n_unchanged, res.n_negative
(5, 1, 3, 2, 0)
>>> res.t_test.mean_difference, res.t_test.df, round(res.t_test.p_value, 4)
(1.2, 4, 0.1087)
>>> res.wilcoxon.method, res.wilcoxon.v, res.wilcoxon.estimate, res.wilcoxon.walsh_median
('normal', 6.0, None, 1.0)
>>> res.reasons["wilcoxon.estimate"][:54]
'not given with the normal approximation (zero differen'
>>> try:
...     analyse([1, 2], [1, 2])
... except AnalysisInputError as err:
...     print(err)
pairs: every difference is zero (nothing changed), so there is nothing to test
"""

from __future__ import annotations

from .cli import main
from .errors import AnalysisInputError
from .paired import CONF_LEVEL, EXACT_LIMIT, WALSH_LIMIT, analyse, analyse_dict
from .types import EffectSize, PairedAnalysis, SignTest, TTest, Wilcoxon

__all__ = [
    "CONF_LEVEL",
    "EXACT_LIMIT",
    "WALSH_LIMIT",
    "AnalysisInputError",
    "EffectSize",
    "PairedAnalysis",
    "SignTest",
    "TTest",
    "Wilcoxon",
    "analyse",
    "analyse_dict",
    "main",
]

"""The glossary: the lecture's terms in Japanese and English, where each is shown, and search.

The texts live in the locale catalogs under glossary.terms.<id>.name / .explanation, so every
term exists in both languages (a test checks); this module holds the order, the grouping and
the pages (their names in lib/ui/pages.py). A term's pages are in order of preference: the
glossary links to the first one the app registers when it runs.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from lib.ui.i18n import LANGUAGES, t

HOME, LOGISTIC, REGRESSION, SIGMOID = "home", "logistic", "regression", "sigmoid"
CROSS_ENTROPY, MNIST, MULTICLASS = "cross_entropy", "mnist", "multiclass"  # lib/ui/pages.py
GROUPS = ("lecture", "app")  # the glossary of the opening slides; the other terms the app uses


@dataclass(frozen=True)
class Term:
    id: str
    group: str
    pages: tuple[str, ...]

    def name(self, lang: str | None = None) -> str:
        return t(f"glossary.terms.{self.id}.name", lang=lang)

    def explanation(self, lang: str | None = None) -> str:
        return t(f"glossary.terms.{self.id}.explanation", lang=lang)


def _terms(group: str, *rows) -> list[Term]:
    return [Term(id, group, pages) for id, pages in rows]


TERMS: tuple[Term, ...] = tuple(_terms(
    "lecture",
    ("machine_learning", (HOME, LOGISTIC)),
    ("deep_learning", (HOME, MNIST)),
    ("neural_network", (MNIST, MULTICLASS, HOME)),
    ("supervised_learning", (HOME, LOGISTIC)),
    ("unsupervised_learning", (HOME,)),
    ("reinforcement_learning", (HOME,)),
    ("clustering", (HOME,)),
    ("input_output", (REGRESSION, SIGMOID, LOGISTIC)),
    ("variables_parameters", (LOGISTIC, REGRESSION)),
    ("structured_data", (REGRESSION, LOGISTIC)),
    ("unstructured_data", (MNIST, HOME)),
    ("classification_algorithm", (LOGISTIC, MULTICLASS)),
    ("regression_analysis", (REGRESSION, HOME)),
    ("probability", (SIGMOID, LOGISTIC)),
    ("prediction", (MNIST, REGRESSION, LOGISTIC)),
    ("chart", (REGRESSION, LOGISTIC)),
) + _terms(
    "app",
    ("linear_function", (LOGISTIC,)),
    ("boundary", (LOGISTIC, MULTICLASS)),
    ("logistic_regression", (LOGISTIC,)),
    ("sigmoid", (SIGMOID, LOGISTIC)),
    ("cross_entropy", (CROSS_ENTROPY, LOGISTIC)),
    ("loss_function", (CROSS_ENTROPY, LOGISTIC)),
    ("softmax", (MULTICLASS, MNIST)),
    ("linear_multiclass", (MULTICLASS,)),
    ("one_hot", (MULTICLASS, MNIST)),
    ("label", (LOGISTIC,)),
    ("training_test", (LOGISTIC, REGRESSION)),
    ("epoch", (LOGISTIC,)),
    ("learning_rate", (LOGISTIC,)),
    ("optimizer", (LOGISTIC,)),
    ("accuracy", (LOGISTIC, MNIST)),
    ("overfitting", (REGRESSION,)),
    ("mnist", (MNIST, MULTICLASS)),
))

MAX_QUERY = 100  # longer search texts are cut


def normalise(text: str) -> str:
    """Fold width and case so "ＭＮＩＳＴ", "mnist" and "Mnist" all match: NFKC, then casefold."""
    return unicodedata.normalize("NFKC", text).casefold()


def haystack(term: Term) -> str:
    """Everything a search looks in: the name and the explanation in every language."""
    parts = []
    for lang in LANGUAGES:
        parts += [term.name(lang), term.explanation(lang)]
    return normalise(" ".join(parts))


def search(query: str, terms=TERMS) -> list[Term]:
    """The terms that contain every word of the query (in either language); all for no words."""
    words = normalise(query[:MAX_QUERY]).split()
    return [term for term in terms if all(word in haystack(term) for word in words)]

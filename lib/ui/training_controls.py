"""The training controls every training page shares: optimizer, learning rate, epochs, batch
size, test split and seed, declared once.

A page takes `params(...)` into its PageState, with its own defaults, choices and help texts,
and draws them with `draw(state, ...)`: the same widgets, labels and URL names on every page.
"""
from __future__ import annotations

import streamlit as st

from lib.core.requests import OPTIMIZERS
from lib.ui.i18n import t
from lib.ui.state import PageState, Param

LEARNING_RATES = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0)
EPOCHS = (1, 10, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000)
BATCHES = (0, 1, 2, 4, 8, 16, 32, 64, 128, 256)  # 0: the whole set per step, as on the slide
NAMES = ("opt", "lr", "epochs", "batch", "test", "iseed")  # URL names, in the order drawn
MAX_SEED = 99_999


def params(opt: str, lr: float, epochs: int, batch: int, test: float | None = 0.0, *,
           rates=LEARNING_RATES, epoch_choices=EPOCHS, batches=BATCHES,
           helps: dict | None = None, optimizer_labels: str = "train.optimizer_") -> list[Param]:
    """The training settings of a page: its defaults and choices; test=None: no test split.

    helps: a page's own help texts by name ({"epochs": "mnist.epochs_help"}).
    """
    helps = {"opt": "train.optimizer_help", "lr": "train.learning_rate_help",
             "epochs": "train.epochs_help", "batch": "train.batch_help",
             "test": "train.test_fraction_help", "iseed": "train.seed_help"} | (helps or {})
    declared = [
        Param("opt", opt, "choice", choices=OPTIMIZERS, widget="selectbox",
              label="train.optimizer", help=helps["opt"], labels=optimizer_labels),
        Param("lr", lr, "float", choices=rates, widget="select_slider",
              label="train.learning_rate", help=helps["lr"], format="%g"),
        Param("epochs", epochs, "int", choices=epoch_choices, widget="select_slider",
              label="train.epochs", help=helps["epochs"]),
        Param("batch", batch, "int", choices=batches, widget="select_slider",
              label="train.batch", help=helps["batch"]),
        Param("test", test, "float", 0.0, 0.5, widget="slider", label="train.test_fraction",
              help=helps["test"], step=0.05, format="%.2f"),
        Param("iseed", 1, "int", 0, MAX_SEED, widget="number_input", label="train.seed",
              help=helps["iseed"], step=1),
    ]
    return [p for p in declared if not (p.name == "test" and test is None)]


def draw(state: PageState, n_points: int | None = None, disabled: bool = False,
         columns=None) -> tuple:
    """The page's training widgets in three columns (optimizer and learning rate; epochs and
    batch size; test split and seed); returns the columns for the page's own controls.

    n_points names the whole set in the batch choices ("all (35)").
    """
    columns = columns or st.columns(3)
    batch_names = None
    if n_points is not None:
        batch_names = {b: t("train.batch_all", n=n_points) if b == 0 else str(b)
                       for b in state.params["batch"].choices}
    places = {"opt": 0, "lr": 0, "epochs": 1, "batch": 1, "test": 2, "iseed": 2}
    for name in NAMES:
        if name not in state.params:
            continue
        options = {"disabled": disabled} if disabled else {}
        if name == "batch" and batch_names:
            options["format_func"] = batch_names.get
        state.widget(name, columns[places[name]], **options)
    return columns


def values(state: PageState) -> dict:
    """The training settings as the page holds them now."""
    return {name: state.get(name) for name in NAMES if name in state.params}

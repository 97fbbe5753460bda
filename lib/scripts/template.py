"""One template for every generated Keras script, in two forms.

"slide": the code as the slides write it (Sequential, Dense with its activation, compile with
the named loss, `model.fit(x, t, batch_size=..., epochs=N)`), with the initial weights and the
batch order set so that it prints the page's result. "fast": the same model, loss and updates,
many optimizer steps per compiled call (`steps_per_execution`), which is how the page trains.

A lesson module gives its pieces (title, data, layers, report); this module writes the header,
the imports, the model, the compile and the fit the same way for every lesson.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

FORMS = ("slide", "fast")
OPTIMIZER_CLASSES = {"rmsprop": "RMSprop", "adam": "Adam", "sgd": "SGD"}
STEPS_PER_EXECUTION = 100
# Milliseconds per optimizer step on this machine (2 cores): a model of the plane's points, the
# whole set per update or mini-batches, in the slide's form (one Python-level step per update)
# and the fast form; MNIST's steps (128 images of 784 pixels). `python bench/scripts.py`
# measured the full-batch pair and MNIST's slide form (medians of 3); the mini-batch pair and
# MNIST's fast form are rough figures from single runs, until that benchmark gives them.
STEP_MS = {
    ("slide", "full"): 56.0, ("fast", "full"): 0.14,
    ("slide", "mini"): 10.0, ("fast", "mini"): 1.0,
    ("slide", "mnist"): 4.2, ("fast", "mnist"): 1.5,
}


@dataclass(frozen=True)
class Fit:
    """How a script trains: epochs, batch size (0: the whole set), inputs and outputs."""

    epochs: int
    batch_size: int
    n: int
    inputs: int
    outputs: int
    validation: bool = False  # print the test accuracy after every epoch (MNIST)

    @property
    def full_batch(self) -> bool:
        return self.batch_size <= 0 or self.batch_size >= self.n

    @property
    def steps(self) -> int:
        return self.epochs * (1 if self.full_batch else math.ceil(self.n / self.batch_size))


@dataclass(frozen=True)
class Scripts:
    """A page's script in both forms (the slide's first) and about how long each trains here."""

    forms: dict
    seconds: dict
    epochs: int


def both(make, fit: Fit, mnist: bool = False) -> Scripts:
    """make(form) -> the script text; the estimates from the measured step costs."""
    return Scripts({form: make(form) for form in FORMS},
                   {form: seconds(form, fit, mnist) for form in FORMS}, fit.epochs)


def seconds(form: str, fit: Fit, mnist: bool = False) -> float:
    """About how long the script's training takes on this machine (TensorFlow's start apart)."""
    kind = "mnist" if mnist else "full" if fit.full_batch else "mini"
    return fit.steps * STEP_MS[(form, kind)] / 1000


def array_literal(values, per_line: int = 3, indent: str = "    ") -> str:
    """Rows of a 2-D array as Python list syntax; 9 significant digits round-trip float32."""
    rows = [("[" + ", ".join(f"{float(v):.9g}" for v in np.atleast_1d(row)) + "]")
            for row in np.asarray(values, dtype=np.float32)]
    lines = [", ".join(rows[i:i + per_line]) for i in range(0, len(rows), per_line)]
    return "[\n" + ",\n".join(indent + line for line in lines) + ",\n]"


def int_list(values, per_line: int = 30) -> str:
    values = [str(int(v)) for v in np.asarray(values).ravel()]
    lines = [", ".join(values[i:i + per_line]) for i in range(0, len(values), per_line)]
    return "[\n" + ",\n".join("    " + line for line in lines) + ",\n]"


def exact_literal(values, per_line: int = 8, indent: str = "    ") -> str:
    """A 1-D float array as a Python list; repr() round-trips every float64 exactly."""
    items = [repr(float(v)) for v in np.asarray(values, dtype=float).ravel()]
    lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    return "[\n" + ",\n".join(indent + line for line in lines) + ",\n]"


def header(form: str, title: str, about: str, needs: str, fit: Fit, mnist: bool = False) -> str:
    """The docstring and the imports (MNIST's script also reads files and draws)."""
    took = _duration(seconds(form, fit, mnist))
    if form == "slide":
        how = (f"Written as on the slides. The training takes about {took} here\n"
               "(one Python-level step per update); the fast version gives the same result sooner.")
    else:
        how = (f"The fast version: the same model and the same updates, {STEPS_PER_EXECUTION} "
               f"per compiled call\n(steps_per_execution), about {took} here.")
    standard = "import os\nimport time\n" if mnist else "import time\n"
    plot = "import matplotlib.pyplot as plt\n" if mnist else ""
    tf_import = "import tensorflow as tf\n" if form == "fast" else ""
    return f'''"""{title}, as run in ML Intro Lab.

{about}
{how}
Needs: pip install {needs}
"""
{standard}
{plot}import numpy as np
{tf_import}import keras
from keras import initializers, layers, models, optimizers
'''


def _duration(value: float) -> str:
    if value < 1:
        return "a second"
    if value < 90:
        return f"{value:.0f} s"
    return f"{value / 60:.0f} min"


def dense(units, activation: str | None, name: str, seed: str = "SEED") -> str:
    """One Dense layer with the page's initial weights (a seeded initializer)."""
    act = f", activation='{activation}'" if activation else ""
    return (f"model.add(layers.Dense({units}{act}, name='{name}',\n"
            f"                       kernel_initializer=initializers.GlorotUniform(seed={seed})))")


def model_block(inputs, layer_lines: list[str], comment: str = "") -> str:
    comment = f"# {comment}\n" if comment else ""
    body = "\n".join(layer_lines)
    return f"""{comment}model = models.Sequential()
model.add(layers.Input(shape=({inputs},)))
{body}
"""


def compile_block(form: str, optimizer: str, learning_rate: float, loss: str,
                  metrics: str = "['acc']") -> str:
    name = OPTIMIZER_CLASSES[optimizer]
    options = [f"loss='{loss}'"] + ([f"metrics={metrics}"] if metrics else [])
    text = (f"model.compile(optimizer=optimizers.{name}(learning_rate={learning_rate!r}),\n"
            f"              {', '.join(options)}")
    if form == "slide":
        return text + ")\n"
    return text + f""",
              # {STEPS_PER_EXECUTION} updates per compiled call instead of one per Python step;
              # without XLA, which rounds a little differently from the page's arithmetic.
              steps_per_execution={STEPS_PER_EXECUTION}, jit_compile=False)
"""


def fit_block(form: str, fit: Fit) -> str:
    """The training, timed: the slide's model.fit, or the same updates run fast."""
    return _slide_fit(fit) if form == "slide" else _fast_fit(fit)


def _slide_fit(fit: Fit) -> str:
    timing = """seconds = time.perf_counter() - started
print(f"{EPOCHS} epochs in {seconds:.1f} s ({1000 * seconds / EPOCHS:.0f} ms per epoch)")
"""
    if fit.full_batch:
        return """# As on the slide: every epoch is one update computed from all the points.
started = time.perf_counter()
model.fit(train_x, train_t, batch_size=len(train_x), epochs=EPOCHS, verbose=0)
""" + timing
    validation = ", validation_data=(test_x, test_t),\n          verbose=2" if fit.validation \
        else ", verbose=0"
    return f"""{_BATCHES}
# model.fit(train_x, train_t, batch_size=BATCH_SIZE, epochs=EPOCHS) would shuffle in Keras' own
# order; fed the page's batches, fit repeats the page's run exactly.
started = time.perf_counter()
model.fit(batches(), steps_per_epoch=STEPS_PER_EPOCH, epochs=EPOCHS, shuffle=False{validation})
""" + timing


_BATCHES = """# The page's batch order: the points shuffled before each epoch with numpy's RandomState(SEED);
# the last batch of an epoch may be smaller.
rng = np.random.RandomState(SEED)
STEPS_PER_EPOCH = -(-len(train_x) // BATCH_SIZE)


def batches():
    for epoch in range(EPOCHS):
        order = rng.permutation(len(train_x))
        for start in range(0, len(order), BATCH_SIZE):
            chosen = order[start:start + BATCH_SIZE]
            yield train_x[chosen], train_t[chosen]
"""


def _fast_fit(fit: Fit) -> str:
    if fit.full_batch:
        data = """# The same full-batch updates, as one dataset that repeats the whole set EPOCHS times.
dataset = tf.data.Dataset.from_tensors((train_x, train_t)).repeat(EPOCHS)
"""
    else:
        data = f"""{_BATCHES}

dataset = tf.data.Dataset.from_generator(batches, output_signature=(
    tf.TensorSpec((None, {fit.inputs}), tf.float32), tf.TensorSpec((None, {fit.outputs}), tf.float32)))
"""
    steps = "EPOCHS" if fit.full_batch else "EPOCHS * STEPS_PER_EPOCH"
    return data + f"""started = time.perf_counter()
model.fit(dataset, epochs=1, steps_per_epoch={steps}, shuffle=False, verbose=0)
seconds = time.perf_counter() - started
print(f"{{EPOCHS}} epochs in {{seconds:.1f}} s ({{1000 * seconds / EPOCHS:.1f}} ms per epoch)")
"""


def evaluate_block(has_test: bool) -> str:
    """The classifier's loss and accuracy on the training data, and on the test data if any."""
    text = """train_loss, train_accuracy = model.evaluate(train_x, train_t, verbose=0)
print(f"train: loss {train_loss:.4f}, accuracy {train_accuracy:.1%}")
"""
    if has_test:
        text += """test_loss, test_accuracy = model.evaluate(test_x, test_t, verbose=0)
print(f"test:  loss {test_loss:.4f}, accuracy {test_accuracy:.1%}")
"""
    return text


def constants(seed: int, fit: Fit, **more) -> str:
    lines = [f"SEED = {int(seed)}", f"EPOCHS = {int(fit.epochs)}"]
    if not fit.full_batch:
        lines.append(f"BATCH_SIZE = {int(fit.batch_size)}")
    lines += [f"{name} = {value}" for name, value in more.items()]
    return "\n".join(lines) + "\n"


def settings_line(optimizer: str, learning_rate: float, fit: Fit) -> str:
    batches = "the whole data set per update" if fit.full_batch else f"batches of {fit.batch_size}"
    return (f"Optimizer {OPTIMIZER_CLASSES[optimizer]}, learning rate {learning_rate:g}, "
            f"{fit.epochs} epochs, {batches}.")


def assemble(*blocks: str) -> str:
    """The script: its blocks separated by one blank line."""
    return "\n".join(block.rstrip("\n") + "\n" for block in blocks if block)

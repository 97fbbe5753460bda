"""The only code that imports TensorFlow: one scheduler (fair queue, bound, result cache, model
pool) for every model, and each lesson's Keras runs."""

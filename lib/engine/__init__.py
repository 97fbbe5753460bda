"""The only code that imports TensorFlow: one scheduler (fair queue, bound, result cache) for
every model, the backends that run its trainings as jobs (local worker processes, RQ workers on
Redis, or inline), the model pool, and each lesson's Keras runs."""

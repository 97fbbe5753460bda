"""the only code that imports TensorFlow: training, pooled models, the result cache."""

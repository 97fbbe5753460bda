"""the runnable Keras scripts the pages show."""

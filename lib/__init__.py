"""ML Intro Lab's library: maths, data, models, training, charts, i18n and URL state."""

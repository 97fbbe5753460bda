"""Numpy maths, data and CSV reading, and the request types the engine trains: no Streamlit,
no TensorFlow."""

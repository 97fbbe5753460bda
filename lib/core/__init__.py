"""numpy maths, data and CSV reading: no Streamlit, no TensorFlow."""

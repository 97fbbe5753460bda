"""plotly figures as plain dicts, one module per lesson."""

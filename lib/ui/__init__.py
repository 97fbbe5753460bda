"""the Streamlit side: i18n and catalogs, URL state, the look, shared panels."""

"""The REST API (FastAPI). Built by api.app.create_app(settings); nothing is created at import."""

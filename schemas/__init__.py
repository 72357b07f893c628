"""Pydantic models shared by every Parlance process: events, API models, the result document.

This package imports nothing else of the project, so the API, the Faust workers and the inference
runtime can all depend on it without dragging each other in.
"""

"""Pydantic models shared by every Parlance process: events, API models, the result document and its call
analysis; and the request/job id context variables that every process's log records carry (`context`).

This package imports nothing else of the project, so the API, the Faust workers and the inference
runtime can all depend on it without dragging each other in.
"""

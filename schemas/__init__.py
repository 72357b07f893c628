"""Pydantic models shared by every Parlance process: events, API models, the result document and its call
analysis; the request/job id context variables that every process's log records carry (`context`) and the
one wording of a validation failure (`validation`).

This package imports nothing else of the project, so the API, the Faust workers and the inference
runtime can all depend on it without dragging each other in.
"""

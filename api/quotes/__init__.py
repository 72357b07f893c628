"""/v1/quotes, /v1/render, /v1/theme and a job's files: the Voice Clips API over the `quotes` domain package."""

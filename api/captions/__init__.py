"""/v1/captions: the caption QA engine over HTTP (the rules live in the `captions` domain package)."""

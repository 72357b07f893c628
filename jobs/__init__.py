"""The job domain: everything that changes a job's status, in one place.

- `jobs/lifecycle.py`: the state machine (which event may follow which status, how it projects onto the row);
- `jobs/effects.py`: `JobEffects.record`, the one way to record events, with each transition's effects in the
  caller's transaction (outbox, reservation settle/release and usage, webhook requests) and the relay woken
  once it commits; built once per app (the API's lifespan, the worker's resources) with its collaborators;
- `jobs/billing.py`: what a job's reservation does at admission and at its end;
- `jobs/usecases.py`: create, receive_upload, retry, cancel, archive, delete, each on a caller's session;
- `jobs/errors.py`: what the use cases refuse (the API maps them to its envelope).

The API (`api/jobs`), the worker (`streams/orchestrator.py`, `streams/reaper.py`) and the tests call these;
nothing else sets a job's status. This package imports neither `api` nor `streams`.
"""

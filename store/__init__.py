"""Persistence: the job store (SQLAlchemy; SQLite by default, PostgreSQL by URL), the outbox that ties a row
change to its Kafka event, and the object store for media and results."""

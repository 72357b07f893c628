"""Kafka topics, the Faust app and its agents."""

"""Metering: plans and prices, quotas with race-free reservations, usage events into ClickHouse, analytics.

A domain package: it never imports `api` or `streams`. ClickHouse is reached only through clickhouse-connect
(`metering.clickhouse`); the job store is reached only through an `AsyncSession` the caller hands in.
"""

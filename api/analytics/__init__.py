"""/v1/analytics: usage and call outcomes over time (ClickHouse); own account, or all accounts for the platform operator."""

"""/v1/account: the calling account's own usage and limits."""

"""/v1/pricing: the plans, public (the numbers live in metering.plans)."""

"""/v1/webhooks: endpoints, their deliveries, and the signature scheme receivers verify (signature.py)."""

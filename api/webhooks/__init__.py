"""/v1/webhooks: endpoints and their deliveries over REST; the rules, rows and signing live in the `webhooks` package."""

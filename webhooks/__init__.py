"""Webhooks as a domain: where Parlance may send requests (urls), what a job event's delivery carries
(payloads), the endpoint and delivery rows (endpoints, deliveries), and how each POST is signed (signing,
per the Standard Webhooks spec) and sent (send).

No HTTP framework and no Kafka here: `api.webhooks` exposes endpoints over REST, `streams.webhooks` runs the
delivery worker, `quotes.render` sends a render batch's callback; all three import this package, never the
other way round.
"""

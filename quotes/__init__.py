"""Notable quotes of a transcript (the Voice Clips API): selection, audio clips, image and video cards.

A domain package: no HTTP and no Kafka. `select` picks the passages; `media` cuts clips and encodes videos with
PyAV; `cards` draws cards with Pillow; `service` keeps them in the job's result document; `render` is the
worker stage that produces the files.
"""

"""Contract: the Voice Clips API document's examples, walked against Parlance (adapted to /v1 and the
`{"data": ...}` envelope).

The seed document is not in the repository; its examples are reconstructed from issue 17.1 and docs/api.md
(the route list, the quote fields, the theme's rules, the bulk limit and plan rule). Rendering itself is
checked in test_quotes.py; here each documented request gets the documented status and shape.
"""

from __future__ import annotations

from tests.integration.api.conftest import Env, auth
from tests.integration.issue17.test_quotes import _completed_job

QUOTE_FIELDS = {"id", "text", "original_text", "speaker_label", "start_time", "end_time", "is_favorite",
                "audio_clip_url", "image_card_url", "video_card_url", "render_status", "render_progress"}


async def test_voice_clips_examples(env: Env) -> None:
    key = await env.key(plan="pro")
    h = auth(key)
    job = await _completed_job(env, key)
    # "After transcription the job's result gains quotes."
    quotes = (await env.client.get(f"/v1/jobs/{job}/result", headers=h)).json()["data"]["quotes"]
    assert quotes and QUOTE_FIELDS <= set(quotes[0])
    qid = quotes[0]["id"]
    steps = [
        ("GET", f"/v1/quotes/{qid}", None, 200),
        ("PATCH", f"/v1/quotes/{qid}", {"text": "Edited quote."}, 200),
        ("PATCH", f"/v1/quotes/{qid}", {"reset": True}, 200),
        ("PATCH", f"/v1/quotes/{qid}/speaker", {"speaker_label": "Diane"}, 200),
        ("PATCH", f"/v1/quotes/{qid}/favorite", {"is_favorite": True}, 200),
        ("GET", "/v1/theme", None, 200),
        ("PUT", "/v1/theme", {"background_color": "#112233", "text_color": "#FFFFFF", "accent_color": "#FF0000", "font": "liberation-sans", "pattern": "dots", "watermark": "@show"}, 200),
        ("PUT", "/v1/theme", {"background_color": "red"}, 422),
        ("PUT", "/v1/theme", {"font": "Papyrus"}, 422),
        ("POST", f"/v1/quotes/{qid}/render-image", None, 202),
        ("POST", f"/v1/quotes/{qid}/render-video", None, 202),
        ("GET", f"/v1/render/ri_{qid}", None, 200),
        ("POST", "/v1/render/bulk", {"items": [{"quote_id": qid, "kind": "image"}]}, 202),
        ("POST", "/v1/render/bulk", {"items": [{"quote_id": qid}] * 51}, 422),
        ("GET", f"/v1/jobs/{job}/files/{qid}.png", None, 404),  # not rendered yet: no worker in this test
        ("DELETE", "/v1/theme", None, 204),
        ("GET", "/v1/quotes/q_00000000000000000000000000000000_0", None, 404),
    ]
    for method, path, body, status in steps:
        r = await env.client.request(method, path, json=body, headers=h)
        assert r.status_code == status, (method, path, r.status_code, r.text)
        if status >= 400:
            assert set(r.json()["error"]) == {"type", "message", "status"}
    quote = (await env.client.get(f"/v1/quotes/{qid}", headers=h)).json()["data"]
    assert quote["speaker_label"] == "Diane" and quote["is_favorite"] is True and quote["render_status"] == "queued"
    # Plan rule: video renders need pro or higher.
    free = await env.key(plan="free")
    free_job = await _completed_job(env, free)
    free_quote = (await env.client.get(f"/v1/jobs/{free_job}/quotes", headers=auth(free))).json()["data"][0]["id"]
    assert (await env.client.post(f"/v1/quotes/{free_quote}/render-video", headers=auth(free))).status_code == 403

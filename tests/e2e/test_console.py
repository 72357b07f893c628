"""The web console in a real browser: Debian's headless Chromium driven by Playwright against `parlance up` (the
real model on the real two-speaker recording).

Signs in, drops the recording on the upload zone, watches the job complete live, plays it and clicks a word
(the audio's currentTime moves there), renames a speaker (the export says so), sees the usage chart with the new
minutes, runs a caption check, makes a key and a webhook (secrets shown once), signs out. A screenshot of every
page goes to test-artifacts/console/ (CI keeps them); docs/screenshots/ holds copies for the README.

Chromium comes from Debian (`make system-deps`); Playwright never downloads a browser here. Without it the test
skips saying so, except under CI (CI=1), where a missing browser is a failure, never a silent skip.
"""

from __future__ import annotations

import base64
import os
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO_ROOT
from tests.e2e.conftest import Stack
from tests.support.samples import sample_wav

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

CHROMIUM = os.environ.get("PARLANCE_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("PARLANCE_TEST_ARTIFACTS", REPO_ROOT / "test-artifacts")) / "console"
# What the machine's closed network and a root container need (see the polyglot machine notes).
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]
SRT_WITH_PROBLEMS = (
    "1\n00:00:01,000 --> 00:00:04,000\nThis caption line is far too long to be read comfortably by anyone watching it\n\n"
    "2\n00:00:03,500 --> 00:00:05,000\nand it overlaps the next one\n\n"
    "3\n00:00:05,000 --> 00:00:05,300\nflash\n"
)


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    if not Path(CHROMIUM).is_file():
        message = f"{CHROMIUM} not found: `make system-deps` installs Debian's chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def shot(page: object, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def drop_file(page: object, selector: str, path: Path, mime: str) -> None:
    """A real drop event carrying the file, as a user's drag from the desktop makes."""
    data = base64.b64encode(path.read_bytes()).decode()
    transfer = page.evaluate_handle(  # type: ignore[attr-defined]
        """([b64, name, mime]) => {
            const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
            const dt = new DataTransfer();
            dt.items.add(new File([bytes], name, { type: mime }));
            return dt;
        }""",
        [data, path.name, mime],
    )
    page.dispatch_event(selector, "drop", {"dataTransfer": transfer})  # type: ignore[attr-defined]


@pytest.mark.parametrize("stack", ["sqlite"], indirect=True)  # one backend: the browser is what is under test
def test_console_in_chromium(stack: Stack, chromium: object, tmp_path: Path) -> None:
    t0 = time.monotonic()
    key = stack.new_key(plan="business", scopes="admin")
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)  # type: ignore[attr-defined]
    page = context.new_page()
    csp_errors: list[str] = []
    page.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)
    base = stack.url

    # Sign in: the key goes in a form once; the browser keeps only an HttpOnly cookie.
    page.goto(f"{base}/console/jobs")
    assert page.url.endswith("/console/login")
    shot(page, "01-sign-in")
    page.get_by_label("API key").fill(key)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/console/jobs")
    cookies = context.cookies()
    assert [c["httpOnly"] for c in cookies] == [True] and cookies[0]["sameSite"] == "Strict"
    assert key not in page.content() and page.evaluate("() => window.localStorage.length") == 0

    # Upload by drag and drop, with diarization (2 speakers) and pro call analysis.
    drop_file(page, "#dropzone", sample_wav(), "audio/wav")
    assert "sample.wav" in page.locator("#file-name").inner_text()
    page.get_by_label("Tell speakers apart").check()
    page.get_by_label("Speakers (if known)").fill("2")
    page.get_by_label("Call analysis").select_option("pro")
    page.get_by_role("button", name="Upload and transcribe").click()
    page.wait_for_url("**/console/jobs/*")
    job_id = page.url.split("?")[0].rsplit("/", 1)[1]

    # The list updates live (htmx): the row's status moves without a reload.
    page.goto(f"{base}/console/jobs")
    row = page.locator(f'tr[data-job-id="{job_id}"]')
    row.wait_for()
    seen = {row.get_attribute("data-status")}
    deadline = time.monotonic() + 420
    while "completed" not in seen and time.monotonic() < deadline:
        page.wait_for_timeout(500)
        seen.add(page.locator(f'tr[data-job-id="{job_id}"]').get_attribute("data-status"))
        if "processing" in seen and not (ARTIFACTS / "02-jobs-live.png").exists():
            shot(page, "02-jobs-live")
    assert "completed" in seen, f"job never completed in the list; saw {seen}\n{stack.log.read_text()[-3000:]}"
    assert len(seen) > 1, "the row never changed status without a reload"

    # The job page: player, transcript, speakers, analysis, exports.
    page.goto(f"{base}/console/jobs/{job_id}")
    page.wait_for_function(
        "() => { const a = document.getElementById('audio'); return a && a.readyState >= 1 && a.duration > 20; }", timeout=60_000
    )
    speakers = page.locator(".speakers tbody tr")
    assert speakers.count() == 2
    assert page.locator(".analysis").is_visible() and page.locator(".analysis dt", has_text="Type").count() == 1
    word = page.locator(".transcript .w").nth(25)
    start = float(word.get_attribute("data-s") or "0")
    assert start > 2.0
    word.click()
    page.wait_for_function(f"() => Math.abs(document.getElementById('audio').currentTime - {start}) < 0.25")
    assert page.locator(".transcript .w.current").count() == 1
    page.evaluate("() => document.getElementById('audio').play()")
    page.wait_for_function(f"() => document.getElementById('audio').currentTime > {start} + 0.5", timeout=15_000)
    page.evaluate("() => document.getElementById('audio').pause()")
    highlighted = page.locator(".transcript .w.current")
    assert highlighted.count() == 1 and float(highlighted.get_attribute("data-s") or "0") >= start
    shot(page, "03-job-player")

    # Rename a speaker: the transcript, the export and transcript_cleaned say "Diane".
    first = speakers.first.locator("strong").inner_text()
    page.get_by_label(f"New name for {first}").fill("Diane")
    page.get_by_role("button", name="Rename speakers").click()
    page.wait_for_url("**/console/jobs/*")
    assert page.locator(".speakers strong", has_text="Diane").count() == 1
    assert page.locator(".transcript .who-speaks", has_text="Diane").count() >= 1
    with page.expect_download() as download:
        page.get_by_role("link", name="VTT").click()
    vtt = Path(download.value.path()).read_text()
    assert "Diane" in vtt and first not in vtt
    result = httpx.get(f"{base}/v1/jobs/{job_id}/result", headers={"Authorization": f"Bearer {key}"}).json()["data"]
    assert "Diane" in result["ai_analysis"]["transcript_cleaned"]

    # Usage: the new minutes in the tiles and in the daily chart (the rollup follows the usage sink).
    deadline = time.monotonic() + 60
    while True:
        page.goto(f"{base}/console/usage")
        page.wait_for_function("() => window.parlanceUsageChart !== undefined")
        charted = page.evaluate("() => window.parlanceUsageChart.data.datasets[0].data.reduce((a, b) => a + b, 0)")
        if charted > 0 or time.monotonic() > deadline:
            break
        page.wait_for_timeout(1000)
    assert float(page.locator("#minutes-used").inner_text()) > 0.4  # the recording is ~30 s
    assert charted > 0.4, "the daily chart does not show the job's minutes"
    shot(page, "04-usage")

    # Caption QA: diagnostics, fixes before/after, score, download of the fixed file.
    srt = tmp_path / "bad.srt"
    srt.write_text(SRT_WITH_PROBLEMS)
    page.goto(f"{base}/console/captions")
    page.get_by_label("Caption file").set_input_files(str(srt))
    page.get_by_label("Preset").select_option("youtube")
    page.get_by_role("button", name="Check captions").click()
    page.locator("#qa-score").wait_for()
    assert int(page.locator("#qa-score").inner_text()) < 100
    assert page.locator("#diagnostics tbody tr").count() >= 2 and page.locator("table.fixes tbody tr").count() >= 1
    with page.expect_download() as fixed:
        page.locator("#cap-download").click()
    assert fixed.value.suggested_filename == "bad.fixed.srt" and "-->" in Path(fixed.value.path()).read_text()
    shot(page, "05-caption-qa")

    # Keys and webhooks: each secret is on the page that made it, once.
    page.goto(f"{base}/console/keys")
    page.get_by_role("button", name="Create key").click()
    assert page.locator("#new-key").input_value().startswith("sk_live_")
    shot(page, "06-keys")
    page.goto(f"{base}/console/keys")
    assert page.locator("#new-key").count() == 0
    page.goto(f"{base}/console/webhooks")
    page.get_by_label("URL").fill("http://127.0.0.1:9/hooks/parlance")
    page.get_by_role("button", name="Add endpoint").click()
    assert page.locator("#new-secret").input_value()
    shot(page, "07-webhooks")

    # Sign out: the session is gone.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/console/login*")
    page.goto(f"{base}/console/jobs")
    assert page.url.endswith("/console/login")
    assert not csp_errors, csp_errors
    context.close()
    print(f"console browser test: {time.monotonic() - t0:.1f} s")


"""Lighthouse (issue 25): accessibility, best practices and SEO of the five reader page types,
on a 390 px phone and a laptop, against a production-like server.

    make bench ARGS=lighthouse      (LIGHTHOUSE_BIN, BENCH_LIGHTHOUSE_ARTICLES)

Lighthouse is a Node tool, not a project dependency: install it once outside the repository
(`npm i -E lighthouse@12.2.3`: 13.x wants Node 22) and point LIGHTHOUSE_BIN at its
`node_modules/.bin/lighthouse`. It drives Debian's Chromium (CHROMIUM_PATH or `chromium`).
The demo newsroom is seeded (`seed_demo`, plus bulk articles), gunicorn serves it with DEBUG off
and collected static files, and each page is audited once per form factor. Goal: every score
≥ 95. Results: bench/results/lighthouse.json.
"""

import json
import os
import shutil
import subprocess

from bench import harness

ARTICLES = int(os.environ.get("BENCH_LIGHTHOUSE_ARTICLES", "200"))
CATEGORIES = ("accessibility", "best-practices", "seo")
FORM_FACTORS = {
    "phone": [
        "--form-factor=mobile",
        "--screenEmulation.mobile",
        "--screenEmulation.width=390",
        "--screenEmulation.height=844",
        "--screenEmulation.deviceScaleFactor=3",
    ],
    "laptop": ["--preset=desktop"],
}
GOAL = 95


def reader_paths() -> dict[str, str]:
    from news.models import ArticlePage, NewsIndexPage, StaffProfilePage

    story = ArticlePage.objects.published().exclude(depth=4).newest_first().first()
    story = story or ArticlePage.objects.published().newest_first().first()
    section = NewsIndexPage.objects.live().filter(depth=4).order_by("path").first()
    author = StaffProfilePage.objects.live().order_by("path").first()
    word = next((w for w in story.title.split() if len(w) > 4 and w.isalpha()), "news")
    return {
        "home": "/",
        "section": section.url if section else "/news/",
        "story": story.url,
        "search": f"/search/?q={word.lower()}",
        "author": author.url,
    }


def audit(binary: str, url: str, flags: list[str]) -> dict[str, int]:
    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    result = subprocess.run(
        [
            binary,
            url,
            "--output=json",
            "--output-path=stdout",
            "--quiet",
            f"--only-categories={','.join(CATEGORIES)}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage",
            *flags,
        ],
        env={**os.environ, "CHROME_PATH": chromium},
        capture_output=True,
        text=True,
        check=True,
        timeout=240,
    )
    report = json.loads(result.stdout)
    scores = {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}
    scores["failed"] = sorted(
        audit_id
        for category in CATEGORIES
        for ref in report["categories"][category]["auditRefs"]
        if ref["weight"]
        and (audit_id := ref["id"])
        and report["audits"][audit_id]["score"] not in (None, 1)
    )
    return scores


def main() -> None:
    binary = os.environ.get("LIGHTHOUSE_BIN") or shutil.which("lighthouse")
    if not binary:
        print("[bench] lighthouse skipped: set LIGHTHOUSE_BIN (npm i -E lighthouse@12.2.3).")
        return
    harness.setup_django()
    harness.ensure_articles(ARTICLES)
    paths = reader_paths()
    rows, results = [], {}
    with harness.gunicorn(workers=2) as server:
        for factor, flags in FORM_FACTORS.items():
            for name, path in paths.items():
                scores = audit(binary, f"{server}{path}", flags)
                results[f"{name}/{factor}"] = {"path": path, **scores}
                rows.append({"page": name, "form factor": factor, **scores})
    harness.print_table("Lighthouse scores (goal ≥ 95 each)", rows)
    harness.write_results("lighthouse", results)


if __name__ == "__main__":
    main()

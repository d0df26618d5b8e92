"""I-01 in real Chromium: the hostile article (tests/security/test_xss.py puts a corpus entry in
every editor-controlled field) and approved comments carrying the whole corpus leave nothing
executable in the live DOM, and no dialog opens."""

from wagtail.models import Collection

import pytest

from readership.models import Comment
from tests.security.test_xss import CORPUS, hostile_article  # noqa: F401 - the fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Run in the page: every attribute named on*, and every URL-bearing attribute whose value, with
# entities already decoded by the parser, starts with javascript: once control characters and
# spaces are dropped and case folded (what a browser's URL parser does with the scheme).
FIND_EXECUTABLE = """() => {
  const found = [];
  const urlAttributes = ["href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value.replace(/[\\u0000-\\u0020]/g, "").toLowerCase();
      if (name.startsWith("on")) found.push(`${element.tagName} ${name}=${attribute.value}`);
      if (urlAttributes.includes(name) && value.startsWith("javascript:"))
        found.push(`${element.tagName} ${name}=${attribute.value}`);
    }
    if (element.tagName === "SCRIPT" && element.textContent.includes("alert(1337)")
        && !["application/json", "application/ld+json"].includes(element.type))
      found.push(`script ${element.textContent.slice(0, 80)}`);
  }
  return found;
}"""


@pytest.fixture(autouse=True)
def _root_collection(db):
    if not Collection.objects.exists():
        Collection.add_root(name="Root")


def test_the_hostile_article_leaves_nothing_executable_in_the_dom(
    live_server,
    page,
    hostile_article,  # noqa: F811 - the imported fixture
):
    for payload in CORPUS:
        Comment.objects.create(
            article=hostile_article,
            name=payload[:80],
            body=f"Reader says {payload}",
            status=Comment.Status.APPROVED,
        )
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    for path in (
        hostile_article.url,
        "/",
        "/news/",
        "/staff/hostile-author/",
        "/search/?q=council",
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
        assert page.evaluate(FIND_EXECUTABLE) == [], path

    page.goto(f"{live_server.url}{hostile_article.url}")
    assert "Reader says <script>alert(1337)</script>" in page.locator("body").inner_text()
    assert dialogs == []

"""Result snippets with the reader's words marked, built as escaped HTML."""

import re

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

_WORD = re.compile(r"\w+", re.UNICODE)
SNIPPET_WORDS = 32


def _matches(word: str, terms: list[str]) -> bool:
    """A word matches a term that it starts with (“elect” marks “elections”) or its stem."""
    lowered = word.lower()
    return any(
        lowered == term or (len(term) >= 3 and lowered.startswith(term.rstrip("s")))
        for term in terms
    )


def highlight(text: str, terms: list[str]) -> SafeString:
    """`text`, escaped, with every word matching one of `terms` wrapped in <mark>."""
    parts: list[tuple[str, str]] = []
    position = 0
    for found in _WORD.finditer(text):
        if _matches(found.group(), terms):
            parts.append(("{}", text[position : found.start()]))
            parts.append(("<mark>{}</mark>", found.group()))
            position = found.end()
    parts.append(("{}", text[position:]))
    return format_html_join("", "{}", ((format_html(fmt, piece),) for fmt, piece in parts))


def snippet(texts: list[str], terms: list[str], *, words: int = SNIPPET_WORDS) -> SafeString:
    """A window of about `words` words around the first match in `texts` (in order), marked.

    Falls back to the start of the first non-empty text when no word matches.
    """
    candidates = [" ".join(text.split()) for text in texts if text and text.strip()]
    if not candidates:
        return SafeString("")
    for text in candidates:
        tokens = text.split(" ")
        hit = next(
            (
                i
                for i, token in enumerate(tokens)
                if any(_matches(w, terms) for w in _WORD.findall(token))
            ),
            None,
        )
        if hit is not None:
            start = max(0, hit - words // 3)
            return _window(tokens, start, words, terms)
    return _window(candidates[0].split(" "), 0, words, terms)


def _window(tokens: list[str], start: int, words: int, terms: list[str]) -> SafeString:
    end = start + words
    text = " ".join(tokens[start:end])
    return format_html(
        "{}{}{}",
        "… " if start > 0 else "",
        highlight(text, terms),
        " …" if end < len(tokens) else "",
    )

"""What an import did, item by item, in words an editor understands."""

import csv
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class Outcome(StrEnum):
    PUBLISHED = "published"
    DRAFT = "draft"
    UNCHANGED = "unchanged"
    NOT_A_STORY = "not a story"  # attachments, pages, menus: looked at, deliberately not stories
    FAILED = "failed"  # invalid: nothing of it was imported


@dataclass
class ItemResult:
    label: str  # "line 3", "item 12 (Budget vote delayed)"
    outcome: Outcome
    message: str  # "Imported as a draft: it was a draft in WordPress."
    notes: list[str] = field(default_factory=list)
    order: int = 0  # its place in the file, so the report reads in the file's order

    def as_text(self) -> str:
        return f"{self.label}: {self.message}"


@dataclass
class ImportReport:
    """Everything one import created (only what committed) and what it said about each item."""

    articles: list[str] = field(default_factory=list)
    drafts: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    staff: list[str] = field(default_factory=list)
    draft_staff: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    images: int = 0
    images_not_downloaded: set[str] = field(default_factory=set)
    comments_approved: int = 0
    comments_pending: int = 0
    redirects: int = 0
    items: list[ItemResult] = field(default_factory=list)

    @property
    def errors(self) -> list[tuple[str, str]]:
        return [(item.label, item.message) for item in self.failed]

    @property
    def failed(self) -> list[ItemResult]:
        return [item for item in self.items if item.outcome == Outcome.FAILED]

    @property
    def not_stories(self) -> list[ItemResult]:
        return [item for item in self.items if item.outcome == Outcome.NOT_A_STORY]

    def merge(self, other: "ImportReport") -> None:
        """Add what one item created (only once its transaction has committed)."""
        self.articles += other.articles
        self.drafts += other.drafts
        self.unchanged += other.unchanged
        self.staff += other.staff
        self.draft_staff += other.draft_staff
        self.tags += [tag for tag in other.tags if tag not in self.tags]
        self.sources += other.sources
        self.sections += other.sections
        self.images += other.images
        self.images_not_downloaded |= other.images_not_downloaded
        self.comments_approved += other.comments_approved
        self.comments_pending += other.comments_pending
        self.redirects += other.redirects
        self.items += other.items

    def in_file_order(self) -> list[ItemResult]:
        return sorted(self.items, key=lambda item: item.order)

    def write_csv(self, path: Path) -> None:
        """The item-by-item report as a spreadsheet: one row per item of the file."""
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["item", "outcome", "what happened", "notes"])
            for item in self.in_file_order():
                writer.writerow([item.label, item.outcome, item.message, "\n".join(item.notes)])

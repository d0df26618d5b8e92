"""The story budget: what is planned for a day or a week, by section and slot, in newsroom time,
with the scheduled and published articles no assignment covers (the old Scheduled report).

A fixed number of queries whatever the size of the day: the assignments with their derived
status, sections and articles in one, their people in one, the schedule in a few.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.dateparse import parse_date

from wagtail.models import Page

from editorial.access import visible_in_admin
from editorial.desk import ScheduleEntry, newsroom_zone, scheduled_between
from news.models import ArticlePage, NewsIndexPage
from planning import access
from planning.models import Assignment, AssignmentRole, Status

SPANS = {"day": 1, "week": 7, "month": 35}
# Published articles listed beside the plan, at most (a busy day on a big site has hundreds).
PUBLISHED_SHOWN = 200


@dataclass(frozen=True)
class BudgetQuery:
    day: date
    span: str = "day"
    section: int | None = None
    status: str = ""
    mine: bool = False

    @classmethod
    def from_request(cls, params) -> "BudgetQuery":
        today = timezone.localtime(timezone.now(), newsroom_zone()).date()
        span = params.get("span", "day")
        section = params.get("section", "")
        status = params.get("status", "")
        return cls(
            day=parse_date(params.get("day", "") or "") or today,
            span=span if span in SPANS else "day",
            section=int(section) if section.isdigit() else None,
            status=status if status in Status.values else "",
            mine=params.get("mine") == "1",
        )

    @property
    def start(self) -> datetime:
        return datetime.combine(self.day, datetime.min.time(), tzinfo=newsroom_zone())

    @property
    def end(self) -> datetime:
        return self.start + timedelta(days=SPANS[self.span])

    @property
    def previous_day(self) -> date:
        return self.day - timedelta(days=SPANS[self.span])

    @property
    def next_day(self) -> date:
        return self.day + timedelta(days=SPANS[self.span])


@dataclass
class BudgetRow:
    assignment: Assignment
    people: list[AssignmentRole]
    late_by: timedelta | None

    @property
    def slot(self) -> datetime | None:
        return self.assignment.slot_at


@dataclass
class SectionBudget:
    section: NewsIndexPage
    rows: list[BudgetRow] = field(default_factory=list)

    @property
    def words(self) -> int:
        return sum(row.assignment.word_target or 0 for row in self.rows)


@dataclass
class Budget:
    sections: list[SectionBudget]
    unplanned: list[ScheduleEntry]
    now: datetime

    @property
    def count(self) -> int:
        return sum(len(section.rows) for section in self.sections)

    @property
    def late(self) -> int:
        return sum(1 for section in self.sections for row in section.rows if row.late_by)


def sections_for(user) -> list[NewsIndexPage]:
    sections = access.member_section_ids(user)
    choices = NewsIndexPage.objects.order_by("path")
    return list(choices if sections is None else choices.filter(pk__in=sections))


def assignments(query: BudgetQuery, *, user):
    found = Assignment.objects.visible_to(user).planned_between(query.start, query.end)
    if query.section:
        found = found.filter(section_id=query.section)
    if query.mine:
        found = found.filter(pk__in=AssignmentRole.objects.filter(user=user).values("assignment"))
    found = found.for_budget()
    if query.status:
        found = found.filter(status=query.status)
    return found


def unplanned_entries(query: BudgetQuery, *, user, covered: set[int]) -> list[ScheduleEntry]:
    """Go-lives, expiries and publications in the span that no listed assignment covers."""
    entries = scheduled_between(query.start, query.end, user=user)
    published = (
        ArticlePage.objects.live()
        .filter(last_published_at__gte=query.start, last_published_at__lt=query.end)
        .order_by("-last_published_at")[:PUBLISHED_SHOWN]
    )
    entries += [ScheduleEntry(page.last_published_at, "published", page) for page in published]
    shown = {entry.page.pk for entry in entries} - covered
    visible = set(
        visible_in_admin(Page.objects.filter(pk__in=shown), user).values_list("pk", flat=True)
    )
    if query.section:
        section = NewsIndexPage.objects.filter(pk=query.section).first()
        visible &= {
            entry.page.pk
            for entry in entries
            if section and entry.page.path.startswith(section.path)
        }
    return sorted(
        (entry for entry in entries if entry.page.pk in visible),
        key=lambda entry: (entry.at, entry.page.pk),
    )


def build(query: BudgetQuery, *, user) -> Budget:
    now = timezone.now()
    by_section: dict[int, SectionBudget] = {}
    covered = set()
    for assignment in assignments(query, user=user):
        if assignment.article_id:
            covered.add(assignment.article_id)
        section = by_section.setdefault(
            assignment.section_id, SectionBudget(section=assignment.section)
        )
        section.rows.append(
            BudgetRow(
                assignment=assignment,
                people=list(assignment.assignees.all()),
                late_by=assignment.lateness(now=now),
            )
        )
    unplanned = [] if query.status else unplanned_entries(query, user=user, covered=covered)
    return Budget(sections=list(by_section.values()), unplanned=unplanned, now=now)

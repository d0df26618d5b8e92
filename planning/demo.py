"""A believable story budget for `make run`: today's and tomorrow's plan in every section.

Goes through the desk's own actions (`planning.desk`), so each assignment's status is what the
budget derives from its article: some still assigned, some drafted, one filed into review,
one spiked; a few pitches wait for a decision. Seeds once: a database that already holds plans
is left as it is.
"""

import random
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from editorial.desk import newsroom_zone
from news.models import NewsIndexPage
from planning import desk
from planning.models import Assignment, AssignmentRole, Pitch, Priority

# (working headline, summary) per section name; the demo's sections (news.seed_demo).
IDEAS = {
    "World": [
        (
            "Ceasefire talks resume in Geneva",
            "Both delegations confirmed; the envoy briefs at noon.",
        ),
        ("Drought empties the reservoirs of the south", "Satellite images and three farmers."),
        ("Who votes in the diaspora, and how", "Embassies report record registrations."),
    ],
    "Politics": [
        ("Budget vote: where the rebels stand", "Whip count by name, updated through the day."),
        ("The committee that decides the map", "Boundary review hearings begin on Thursday."),
        ("Court rules on the protest law", "Judgment handed down at 10:00; reaction after."),
    ],
    "Business": [
        ("Energy prices: what the cap means for bills", "Worked examples for four households."),
        ("The start-up that wants to fix freight", "Interview with the founders; photos on site."),
        ("Jobs figures due at 07:00", "Wire copy first, our analysis for the afternoon slot."),
    ],
    "Science": [
        (
            "The telescope's first deep field",
            "Embargoed paper; the agency releases images at 16:00.",
        ),
        ("Heat and hospital admissions", "New data from the health service, with a chart."),
        ("Why the vaccine trial paused", "Two independent scientists on what it means."),
    ],
    "Culture": [
        ("Festival line-up revealed", "Headliners, ticket prices and the new venue."),
        ("The library that stayed open", "Feature: a year of late nights in the reading room."),
        ("Review: the season's most talked-about film", "Opens Friday; screening Wednesday."),
    ],
}
PITCHES = [
    ("Night buses: who rides after midnight", "A week on the routes with a photographer."),
    ("The last typewriter repair shop", "A short portrait; pictures are the story."),
    ("Council tax appeals, explained", "Reader questions answered by an adviser."),
]


def seed_demo_budget(*, now: datetime | None = None, seed: int = 2026) -> int:
    """Seed today's and tomorrow's budget; returns how many assignments it created (0 when
    plans already exist or the demo's sections and desk people are missing)."""
    if Assignment.objects.exists() or Pitch.objects.exists():
        return 0
    users = {u.username: u for u in get_user_model().objects.filter(username__in=DESK_PEOPLE)}
    sections = {s.title: s for s in NewsIndexPage.objects.filter(title__in=IDEAS)}
    if set(users) != set(DESK_PEOPLE) or not sections:
        return 0
    rng = random.Random(seed)
    zone = newsroom_zone()
    today = timezone.localtime(now or timezone.now(), zone).date()
    writer, editor, chief = (users[name] for name in DESK_PEOPLE)
    created = 0
    for section_index, (name, ideas) in enumerate(IDEAS.items()):
        section = sections.get(name)
        if section is None:
            continue
        for idea_index, (headline, summary) in enumerate(ideas):
            day = today + timedelta(days=idea_index // 2)  # two for today, one for tomorrow
            slot_hour = 8 + (section_index * 2 + idea_index * 3) % 11
            slot = datetime.combine(day, time(slot_hour, rng.choice((0, 15, 30, 45))), zone)
            pitch = Pitch.objects.create(
                idea=headline, summary=summary, section=section, proposer=writer
            )
            assignment = desk.accept(
                pitch, user=chief, reporter=writer, due_at=slot - timedelta(hours=2), slot_at=slot
            )
            assignment.priority = rng.choice(list(Priority.values))
            assignment.word_target = rng.choice((400, 600, 800, 1200))
            assignment.save(update_fields=["priority", "word_target"])
            AssignmentRole.objects.create(
                assignment=assignment, user=editor, role=AssignmentRole.Role.EDITOR
            )
            created += 1
            progress = (section_index + idea_index) % 4
            if progress >= 1:
                article = desk.start_draft(assignment, user=writer)
                if progress == 3:
                    _file_for_review(article, user=writer)
            if name == "Culture" and idea_index == 2:
                desk.kill(assignment, user=chief)
    for idea, summary in PITCHES:
        Pitch.objects.create(
            idea=idea, summary=summary, section=next(iter(sections.values())), proposer=writer
        )
    return created


DESK_PEOPLE = ("writer", "editor", "chief")  # editorial's create_demo_staff accounts


def _file_for_review(article, *, user) -> None:
    """Submit the draft to the section's workflow, as the writer's Submit button does."""
    workflow = article.get_workflow()
    if workflow is not None:
        workflow.start(article, user)

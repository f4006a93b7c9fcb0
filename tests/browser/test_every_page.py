"""Every main page, as the demo users see it with the shipped content, on a desktop (1280 px) and a
phone (390 px): axe-core finds no violation of any impact, nothing makes the page scroll sideways,
and on the phone the navigation opens from its menu button.

Set SCREENSHOTS=<folder> to keep a full-page screenshot of each page at both widths."""

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from assessments.attempts import attempt_start
from assessments.models import Attempt, CompetencyArea, Quiz
from assessments.placement_tests import placement_start
from assessments.profile_card import card_share
from roadmap.models import Recheck, RoadmapStep
from roadmap.rechecks import recheck_schedule, rechecks_due_remind

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}
DEMO_PASSWORDS = {"learner": "learner-demo-pass", "mentor": "mentor-demo-pass"}


@pytest.fixture
def demo(settings, celery_eager):
    """The shipped ladder and bank and the demo users (`make run`'s), plus an open quiz attempt and
    an open placement test, so every page has something on it."""
    call_command("import_content", verbosity=0)
    settings.DEBUG = True  # seed_demo refuses otherwise: its passwords are public
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    settings.DEBUG = False
    learner = User.objects.get(username="learner")
    now = timezone.now()
    submitted = Attempt.objects.get(learner=learner, submitted_at__isnull=False)
    quiz = Quiz.objects.filter(is_published=True).exclude(pk=submitted.quiz_id).order_by("area__order").first()
    open_attempt = attempt_start(learner_id=learner.pk, quiz=quiz, now=now)
    placement = placement_start(learner_id=learner.pk, now=now)
    card = card_share(learner_id=learner.pk, shared=True, now=now)
    step = RoadmapStep.objects.filter(roadmap__learner=learner, kind="learn").order_by("position").first()
    recheck_schedule(step=step, now=now - timedelta(days=31))
    rechecks_due_remind(now=now)  # a re-check due: on the dashboard, the roadmap and its own page
    recheck = Recheck.objects.get(step=step)
    return {
        "learner": [
            "/dashboard/",
            "/assess/",
            f"/assess/{CompetencyArea.objects.order_by('order').first().slug}/",
            "/quizzes/",
            f"/attempts/{open_attempt.pk}/q/1/",
            f"/attempts/{open_attempt.pk}/overview/",
            f"/attempts/{submitted.pk}/results/",
            "/placement/",
            f"/placement/{placement.pk}/q/1/",
            "/results/",
            "/roadmap/",
            "/matrix/",
            "/profile/",
            "/accounts/delete/",
            "/mentors/",
            "/notifications/",
            f"/rechecks/{recheck.pk}/",
            "/mentor/",  # a 403 with the layout
            "/no-such-page/",  # a 404 with the layout
        ],
        "mentor": ["/mentor/", f"/mentor/mentees/{learner.pk}/"],
        None: ["/", "/accounts/login/", "/accounts/signup/", "/matrix/", f"/card/{card.code}/"],
    }


def _log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORDS[username])
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=f"Hello, {username}")).to_be_visible()


def _axe_violations(page: Page) -> list[str]:
    """axe-core's violations on the page as it is, one line each (the page's CSP stays on: the
    script is evaluated through the browser's debugging protocol, not added to the page)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    found = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(str(n['target']) for n in v['nodes'][:3])}"
        for v in found
    ]


def _sideways(page: Page) -> str | None:
    """What sticks out past the viewport's right edge, if the page scrolls sideways."""
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          if (document.documentElement.scrollWidth <= width) return null;
          const wide = [...document.querySelectorAll('body *')].filter(e => {
            const r = e.getBoundingClientRect();
            return r.right > width + 1 && !e.closest('.table-scroll, .roadmap-map, pre');
          }).slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''));
          return `page is ${document.documentElement.scrollWidth}px wide: ${wide.join(', ')}`;
        }"""
    )


def _check_menu(page: Page) -> None:
    """On a phone the links hide behind the menu button, which opens and closes them (Escape too)."""
    nav = page.get_by_role("navigation", name="Main")
    menu = nav.get_by_role("button", name="Menu")
    first_link = nav.get_by_role("link", name="Matrix", exact=True)
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(first_link).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(first_link).to_be_visible()
    page.keyboard.press("Escape")
    expect(first_link).to_be_hidden()
    expect(menu).to_be_focused()


def _visit_all(page: Page, base: str, paths: list[str], who: str, problems: list[str]) -> None:
    shots = os.environ.get("SCREENSHOTS")
    for path in paths:
        for name, (width, height) in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": height})
            page.goto(base + path)
            expect(page.locator("main h1").first).to_be_visible()
            where = f"{who} {path} at {width}px"
            problems.extend(f"{where}: {line}" for line in _axe_violations(page))
            if (wide := _sideways(page)) is not None:
                problems.append(f"{where}: {wide}")
            if shots:
                slug = re.sub(r"[^a-z0-9]+", "-", f"{who}{path}").strip("-")
                page.screenshot(path=f"{shots}/{slug}-{width}.png", full_page=True)
            if name == "phone":
                _check_menu(page)


def test_every_main_page_is_accessible_and_fits_a_phone(live_server, browser, demo):
    problems: list[str] = []
    for who, paths in demo.items():
        context = browser.new_context()
        page = context.new_page()
        page.set_default_timeout(10_000)
        if who:
            _log_in(page, live_server.url, who)
        _visit_all(page, live_server.url, paths, who or "visitor", problems)
        context.close()
    assert not problems, "\n".join(problems)

from playwright.sync_api import expect

from comments.models import Notification
from tests.e2e.conftest import assert_accessible, sign_in, small_touch_targets
from theories.models import TheoryOfAction


def test_a_board_member_mentions_a_theorys_owner_who_finds_it_in_their_inbox(open_page, demo):
    # The demo's first theory is owned by Camila Cabinet (cabinet@demo.test).
    theory = TheoryOfAction.objects.get(district__slug="demo", owner="Camila Cabinet")
    page = open_page("tablet-portrait")
    sign_in(page, "board@demo.test")
    page.goto(f"/d/demo/theories/{theory.pk}/")
    page.locator("#theory-comments").get_by_role("link", name="2 open comments").first.tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Comments")
    assert_accessible(page, "comments", wcag=True)
    assert small_touch_targets(page) == []

    page.get_by_text("Who can be mentioned", exact=True).tap()
    expect(page.locator("#who-can-be-mentioned")).to_contain_text("@cabinet")
    page.get_by_label("Comment", exact=True).fill(
        "@cabinet Could the board see the first coaching logs in January?"
    )
    page.get_by_role("button", name="Post comment").tap()
    expect(page.locator("#comments")).to_contain_text("Comment posted.")
    expect(page.locator(".comment-thread").last).to_contain_text("first coaching logs")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert Notification.objects.filter(
        recipient__email="cabinet@demo.test", reason="mention", comment__body__contains="coaching"
    ).exists()

    owner = open_page("tablet-portrait")
    sign_in(owner, "cabinet@demo.test")
    # At 768 px the navigation shows whole; a narrower screen folds it behind Menu.
    menu = owner.get_by_role("button", name="Menu")
    if menu.is_visible():
        menu.tap()
    inbox = owner.get_by_role("navigation", name="District").get_by_role("link", name="Inbox")
    expect(inbox).to_contain_text("unread")
    inbox.tap()
    line = owner.locator(".inbox-line", has_text="first coaching logs")
    expect(line).to_contain_text("Boris Board")
    expect(line).to_contain_text("mentioned you")
    assert_accessible(owner, "inbox", wcag=True)
    assert small_touch_targets(owner) == []
    line.get_by_role("button", name="Mark read").tap()
    expect(owner.locator(".inbox-line.unread", has_text="first coaching logs")).to_have_count(0)

"""A shared tablet keeps nothing private after sign-out, even offline."""

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, sign_in
from visits.models import CalendarFeed, Observation, Visit

NOTE = "Room 4 teacher was in tears after the walkthrough"


def offline_text(page, path):
    """What the tablet shows for an address with no connection: a page from the service
    worker's cache, its offline message, or the browser's own error."""
    try:
        page.goto(path)
    except PlaywrightError:
        return ""
    return page.content()


def cached_addresses(page):
    return page.evaluate(
        """async () => {
             const urls = [];
             for (const name of await caches.keys()) {
               const cache = await caches.open(name);
               for (const request of await cache.keys()) urls.push(request.url);
             }
             return urls;
           }"""
    )


def stored_on_tablet(page):
    """Everything this site keeps in the browser's IndexedDB and localStorage, as text (binary
    values, such as ciphertext, show as numbers), with the kind of each value and, for a key,
    whether a script could read it back."""
    return page.evaluate(
        """async () => {
             const found = [];
             for (const {name} of await indexedDB.databases()) {
               const db = await new Promise(r => {
                 const q = indexedDB.open(name);
                 q.onupgradeneeded = () => q.transaction.abort();  // gone meanwhile: create nothing
                 q.onsuccess = () => r(q.result);
                 q.onerror = () => r(null);
               });
               if (!db) continue;
               for (const store of db.objectStoreNames) {
                 const all = await new Promise(r => { const q = db.transaction(store).objectStore(store).getAll(); q.onsuccess = () => r(q.result); });
                 for (const value of all) found.push({
                   db: name, store, kind: value?.constructor?.name, text: JSON.stringify(value),
                   extractable: value instanceof CryptoKey ? value.extractable : null,
                 });
               }
               db.close();
             }
             for (const [key, value] of Object.entries(localStorage)) found.push({db: 'localStorage', store: key, kind: 'String', text: value});
             return found;
           }"""
    )


def keys_on_tablet(page):
    """For each outbox key kept on this tablet, whether a script could read it back."""
    return [
        entry["extractable"] for entry in stored_on_tablet(page) if entry["kind"] == "CryptoKey"
    ]


def test_after_sign_out_offline_neither_the_private_note_nor_the_calendar_address_shows(
    open_page, demo
):
    visit = Visit.objects.filter(district__slug="demo", status="planned").order_by("date").first()
    visitor = visit.district.memberships.get(user__email="visitor@demo.test").user
    visit.team.add(visitor)
    Observation.objects.create(
        district=visit.district, visit=visit, kind="classroom", notes=NOTE, private=True
    )
    page = open_page("tablet-landscape")
    sign_in(page, "visitor@demo.test")
    # The observation page is where a tablet takes the app offline.
    page.goto(f"/d/demo/visits/{visit.pk}/observe/")
    expect(page.locator("html")).to_have_attribute("data-offline-ready", "yes", timeout=15_000)
    visit_page = f"/d/demo/visits/{visit.pk}/"
    calendar_page = "/d/demo/visits/calendar/"
    page.goto(visit_page)
    expect(page.get_by_text(NOTE)).to_be_visible()
    page.goto(calendar_page)
    token = CalendarFeed.objects.get(user=visitor).token
    expect(page.locator("#feed-url")).to_have_value(f"{page.url.split('/d/')[0]}/ics/{token}.ics")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()
    assert not [url for url in cached_addresses(page) if "/d/" in url]

    page.context.set_offline(True)
    for path in (visit_page, calendar_page, f"/d/demo/visits/{visit.pk}/observe/"):
        text = offline_text(page, path)
        assert NOTE not in text, path
        assert token not in text, path
        assert "Save observation" not in text, path


def test_signed_in_and_offline_the_observation_form_opens_naming_no_one(open_page, demo):
    visit = Visit.objects.filter(district__slug="demo", status="planned").order_by("date").first()
    visitor = visit.district.memberships.get(user__email="visitor@demo.test").user
    page = open_page("tablet-portrait")
    page.goto("/accounts/login/")
    # What the first service worker kept on this tablet: whole visit pages.
    page.evaluate(
        """async () => (await caches.open('visits-v1')).put(
             '/d/demo/visits/1/', new Response('<p>Old private page</p>'))"""
    )
    sign_in(page, "visitor@demo.test")
    page.goto(f"/d/demo/visits/{visit.pk}/observe/")
    expect(page.get_by_text(visitor.get_full_name())).to_be_visible()
    expect(page.locator("html")).to_have_attribute("data-offline-ready", "yes", timeout=15_000)

    page.context.set_offline(True)
    page.reload()
    expect(page.get_by_role("button", name="Save observation")).to_be_visible()
    expect(page.get_by_text("You are offline")).to_be_visible()
    assert visitor.get_full_name() not in page.content()
    assert_accessible(page, "observe-shell")
    cached = cached_addresses(page)
    assert [url for url in cached if "/d/" in url] == [
        f"{page.url.split('/d/')[0]}/d/demo/visits/{visit.pk}/observe/shell/"
    ]


def test_a_tablet_whose_session_ended_offers_no_offline_form(open_page, demo):
    visit = Visit.objects.filter(district__slug="demo", status="planned").order_by("date").first()
    observe = f"/d/demo/visits/{visit.pk}/observe/"
    page = open_page("tablet-landscape")
    sign_in(page, "visitor@demo.test")
    page.goto(observe)
    expect(page.locator("html")).to_have_attribute("data-offline-ready", "yes", timeout=15_000)
    expect(page.locator("#queue-status")).to_contain_text("Nothing waiting to send")
    assert keys_on_tablet(page) == [False]

    # The session ends without anyone signing out; the next person is sent to sign in.
    page.context.clear_cookies()
    page.goto(observe)
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()
    # Unsent observations of that session stay encrypted, with no key left to open them.
    assert keys_on_tablet(page) == []
    page.context.set_offline(True)
    assert "Save observation" not in offline_text(page, observe)


def test_signed_out_the_tablet_holds_unsent_observations_only_as_ciphertext(open_page, demo):
    visit = Visit.objects.filter(district__slug="demo", status="planned").order_by("date").first()
    observe = f"/d/demo/visits/{visit.pk}/observe/"
    page = open_page("tablet-landscape")
    sign_in(page, "visitor@demo.test")
    page.goto(observe)
    expect(page.locator("html")).to_have_attribute("data-offline-ready", "yes", timeout=15_000)
    expect(page.locator("#queue-status")).to_contain_text("Nothing waiting to send")
    assert keys_on_tablet(page) == [False]
    page.context.set_offline(True)
    page.get_by_text("Campus tour", exact=True).click()
    page.get_by_label("Setting").fill("Library")
    page.get_by_label("Notes").fill(NOTE)
    page.get_by_role("button", name="Save observation").click()
    expect(page.locator("#queue-status")).to_contain_text("1 waiting to send")
    page.get_by_label("Notes").fill("Half typed by the visitor")
    # Back on a Wi-Fi that lets pages through but not this visitor's saves.
    page.context.route("**/observations/", lambda route: route.abort())
    page.context.set_offline(False)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()
    page.context.unroute("**/observations/")

    stored = stored_on_tablet(page)
    assert [entry["store"] for entry in stored if entry["db"] == "district-planning"] == ["outbox"]
    for entry in stored:
        for secret in (NOTE, "Library", "Half typed"):
            assert secret not in entry["text"], entry
    assert keys_on_tablet(page) == []

    sign_in(page, "cabinet@demo.test")
    page.goto(observe)
    expect(page.locator("#queue-status")).to_contain_text("Nothing waiting to send")
    expect(page.locator("#outbox")).not_to_contain_text("Campus tour")
    expect(page.get_by_label("Notes")).to_have_value("")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_timeout(2_000)
    assert not Observation.objects.filter(visit=visit).exists()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()

    sign_in(page, "visitor@demo.test")
    page.goto(observe)
    expect(page.get_by_label("Notes")).to_have_value("Half typed by the visitor")
    expect(page.locator("#outbox .badge.ok")).to_have_count(1, timeout=15_000)
    stored = Observation.objects.get(visit=visit)
    assert stored.notes == NOTE
    assert stored.observer.email == "visitor@demo.test"


def test_without_webcrypto_the_form_posts_and_nothing_is_kept_on_the_tablet(open_page, demo):
    visit = Visit.objects.filter(district__slug="demo", status="planned").order_by("date").first()
    page = open_page("tablet-landscape")
    # As in a page not served over HTTPS: the browser offers no WebCrypto.
    page.add_init_script(
        "Object.defineProperty(Crypto.prototype, 'subtle', {get: () => undefined})"
    )
    sign_in(page, "visitor@demo.test")
    page.goto(f"/d/demo/visits/{visit.pk}/observe/")
    page.get_by_text("Campus tour", exact=True).click()
    page.get_by_label("Notes").fill(NOTE)
    page.get_by_role("button", name="Save observation").click()
    expect(page.get_by_text("Observation saved. Ready for the next one.")).to_be_visible()
    assert Observation.objects.get(visit=visit).notes == NOTE
    assert [entry for entry in stored_on_tablet(page) if NOTE in entry["text"]] == []


def test_an_observation_an_earlier_version_kept_in_plain_text_is_encrypted_then_sent(
    open_page, demo
):
    visit = Visit.objects.filter(district__slug="demo", status="planned").order_by("date").first()
    visitor = visit.district.memberships.get(user__email="visitor@demo.test").user
    page = open_page("tablet-landscape")
    page.goto("/accounts/login/")
    page.evaluate(
        """async ([user, visit, note]) => {
             const id = '6f1c2d3e-4b5a-4c6d-8e7f-001122334455';
             const db = await new Promise(r => {
               const q = indexedDB.open('district-planning', 1);
               q.onupgradeneeded = () => q.result.createObjectStore('outbox', {keyPath: 'client_id'});
               q.onsuccess = () => r(q.result);
             });
             await new Promise(r => {
               const t = db.transaction('outbox', 'readwrite');
               t.objectStore('outbox').put({client_id: id, user, visit, state: 'saved', reason: '', created: Date.now(),
                 fields: [['client_id', id], ['kind', 'campus_tour'], ['notes', note]]});
               t.oncomplete = r;
             });
             db.close();
             localStorage.setItem(`observation-draft:${user}:${visit}`,
               JSON.stringify({fields: [['notes', 'Half typed before the update']], replaces: ''}));
           }""",
        [str(visitor.pk), f"demo:{visit.pk}", NOTE],
    )
    page.context.route("**/observations/", lambda route: route.abort())
    sign_in(page, "visitor@demo.test")
    page.goto(f"/d/demo/visits/{visit.pk}/observe/")
    expect(page.locator("#queue-status")).to_contain_text("1 waiting to send")
    expect(page.get_by_label("Notes")).to_have_value("Half typed before the update")
    expect(page.locator("#outbox")).to_contain_text("no connection")
    for entry in stored_on_tablet(page):
        assert NOTE not in entry["text"], entry
        assert "Half typed" not in entry["text"], entry

    page.context.unroute("**/observations/")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#outbox .badge.ok")).to_have_count(1, timeout=15_000)
    assert Observation.objects.get(visit=visit).notes == NOTE

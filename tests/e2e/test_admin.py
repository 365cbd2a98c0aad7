from playwright.sync_api import expect

from core.roles import Role
from tests.e2e.conftest import sign_in
from tests.factories import DistrictFactory, MembershipFactory, UserFactory


def test_district_admin_picks_only_their_people_in_the_admin(open_page, transactional_db):
    lakeside = DistrictFactory(slug="lakeside", name="Lakeside")
    hillcrest = DistrictFactory(slug="hillcrest", name="Hillcrest")
    staff = UserFactory(email="staff@lakeside.test", is_staff=True)
    staff.set_password("staff-pass-2026")
    staff.save()
    MembershipFactory(user=staff, district=lakeside, role=Role.ADMIN)
    MembershipFactory(
        user=UserFactory(email="teacher@lakeside.test", full_name="Lakeside Teacher"),
        district=lakeside,
    )
    MembershipFactory(
        user=UserFactory(email="teacher@hillcrest.test", full_name="Hillcrest Teacher"),
        district=hillcrest,
    )
    UserFactory(email="nobody@elsewhere.test", full_name="Elsewhere Nobody")

    page = open_page()
    sign_in(page, "staff@lakeside.test", "staff-pass-2026")
    page.goto("/admin/accounts/membership/add/")
    # The user field is an autocomplete (select2): it runs under the page's policy too.
    page.locator(".field-user .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill("teacher")
    results = page.locator(".select2-results__option")
    expect(results).to_have_count(1)
    expect(results.first).to_have_text("Lakeside Teacher")
    page.locator(".select2-container--open .select2-search__field").fill("elsewhere")
    expect(page.locator(".select2-results__message")).to_have_text("No results found")

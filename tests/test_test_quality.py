"""A test that only asserts text is absent (`assert "secret" not in page`) also passes when the
page is an error, a redirect to sign-in or empty: it cannot fail for the right reason. Every
test that checks an absence must also check something present — the status, the heading, the
record's own text — so this reads the tests (ast, no import) and lists those that do not."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent

# Calls that check something: assertContains, assert_strict, expect(page)…, check_page, pytest.raises.
POSITIVE_PREFIXES = ("assert", "expect", "check", "raises")
# …unless they check an absence: assertNotContains, assertNotIn, expect(…).not_to_be_visible().
NEGATIVE_PREFIXES = ("assertnot", "assert_not", "not_")


def _call_name(call):
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _is_absence(test):
    """`x not in y`, `not x in y`, and `and` of those."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return all(_is_absence(value) for value in test.values)
    if isinstance(test, ast.Compare):
        return all(isinstance(op, ast.NotIn) for op in test.ops)
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = test.operand
        return isinstance(inner, ast.Compare) and all(isinstance(op, ast.In) for op in inner.ops)
    return False


def _checks(function, helpers, seen=frozenset()):
    """(absences, positives) the function asserts: in its own body, nested functions included,
    and through the helpers of its module it calls (a helper that only checks an absence adds
    an absence, not a positive, whatever its name)."""
    absences = positives = 0
    negated = set()  # the expect(…) inside expect(…).not_to_…()
    calls = []
    for node in ast.walk(function):
        if isinstance(node, ast.Assert):
            if _is_absence(node.test):
                absences += 1
            else:
                positives += 1
        elif isinstance(node, ast.Call):
            calls.append(node)
            name = _call_name(node).lower()
            if name.startswith(NEGATIVE_PREFIXES) and isinstance(node.func, ast.Attribute):
                negated.add(id(node.func.value))
    for call in calls:
        name = _call_name(call)
        if isinstance(call.func, ast.Name) and name in helpers and name not in seen:
            helper_absences, helper_positives = _checks(helpers[name], helpers, seen | {name})
            absences += helper_absences
            positives += helper_positives
        elif name.lower().startswith(NEGATIVE_PREFIXES):
            continue
        elif name.lower().startswith(POSITIVE_PREFIXES) and id(call) not in negated:
            positives += 1
    return absences, positives


def absence_only_tests(source, filename="<test>"):
    """Names of the test functions in `source` that assert an absence and nothing present."""
    module = ast.parse(source, filename)
    helpers = {
        node.name: node
        for node in module.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and not node.name.startswith("test_")
    }
    offenders = []
    for node in ast.walk(module):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(
            "test_"
        ):
            absences, positives = _checks(node, helpers)
            if absences and not positives:
                offenders.append((node.lineno, node.name))
    return [name for _line, name in sorted(offenders)]


def test_no_test_asserts_only_an_absence():
    offenders = [
        f"{path.relative_to(TESTS.parent)}::{name}"
        for path in sorted(TESTS.rglob("test_*.py"))
        for name in absence_only_tests(path.read_text(encoding="utf-8"), str(path))
    ]
    assert not offenders, "These tests assert only that text is absent:\n" + "\n".join(offenders)


def test_an_absence_alone_is_reported():
    source = """
def test_hidden(client):
    page = client.get("/plan/").content.decode()
    assert "secret" not in page
    assert not "other secret" in page


def test_hidden_twice(client):
    page = client.get("/plan/").content.decode()
    assert "secret" not in page and "other" not in page


class TestPlan:
    def test_hidden_in_a_class(self, client):
        self.assertNotContains(client.get("/plan/"), "secret")
        assert "secret" not in client.get("/plan/").content.decode()


def test_hidden_in_the_browser(page):
    expect(page.get_by_text("secret")).not_to_be_visible()
    assert "secret" not in page.content()


def assert_hidden(response):
    assert "secret" not in response.content.decode()


def test_hidden_by_a_helper(client):
    assert_hidden(client.get("/plan/"))
"""
    assert absence_only_tests(source) == [
        "test_hidden",
        "test_hidden_twice",
        "test_hidden_in_a_class",
        "test_hidden_in_the_browser",
        "test_hidden_by_a_helper",
    ]


def test_an_absence_with_something_present_passes():
    source = """
def test_status(client):
    response = client.get("/plan/")
    assert response.status_code == 200
    assert "secret" not in response.content.decode()


def test_contains(client):
    response = client.get("/plan/")
    assertContains(response, "Plan")
    assert "secret" not in response.content.decode()


def test_in_the_browser(page):
    expect(page.get_by_role("heading")).to_have_text("Plan")
    assert "secret" not in page.content()


def test_no_absence(client):
    client.get("/plan/")


def assert_private(response):
    assert response.status_code == 200
    assert "secret" not in response.content.decode()


def test_private_by_a_helper(client):
    assert_private(client.get("/plan/"))


def test_hidden_by_a_helper_and_shown(client):
    response = client.get("/plan/")
    hidden(response)
    assert "Plan" in response.content.decode()


def hidden(response):
    assert "secret" not in response.content.decode()


def helper_not_a_test(page):
    assert "secret" not in page
"""
    assert absence_only_tests(source) == []

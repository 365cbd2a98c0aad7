"""Long lists folded by group: the theories page's strands, the action items by owner.

A folded group shows its counts and loads its content when opened, so a page sends what
people read at once and not hundreds of cards nobody opened. Every such page works the same
way, with this module and templates/core/_fold.html:

- the page's own URL with `?open=<key>` is the page with that group open: the link a folded
  group offers without JavaScript, what a link to something inside the group uses, and what
  htmx asks for when the group is opened (one URL per resource);
- an htmx request whose target is a group's body (`<prefix><key><suffix>`) gets only that
  body, the partial named after it;
- a folded group carries the ids of what it holds (`anchors`), so a link to one of them
  (`#theory-12` from the plan page) opens the group (static/js/site.js) and lands on it.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

OPEN = "open"


@dataclass
class Fold:
    """One group of a folded page, as templates/core/_fold.html draws it."""

    # The body's id, which htmx targets; the <details> around it is `<id>-fold`.
    id: str
    # The page with this group open, ending with the anchor the group's section carries.
    url: str
    # What names the group for someone who reaches its link out of context.
    name: str
    open: bool = False
    anchors: list = field(default_factory=list)


def asked_open(request):
    """The keys of the groups the request asks open."""
    return request.GET.getlist(OPEN)


def target_key(request, prefix, suffix):
    """The key of the group whose body an htmx request targets (`strand-5-theories` → "5"
    for prefix "strand-" and suffix "-theories"), or None."""
    target = request.htmx.target if request.htmx else None
    if target and target.startswith(prefix) and target.endswith(suffix):
        return target[len(prefix) : -len(suffix)] or None
    return None


def fold_url(path, key, *, params=(), anchor=""):
    """`path` with the group `key` open, the page's other `params` (name, value) kept."""
    query = urlencode([(name, value) for name, value in params if value] + [(OPEN, key)])
    return f"{path}?{query}" + (f"#{anchor}" if anchor else "")

"""@mentions: a member is named by @ and their full name or their email's local part
(`@maria.lopez` for maria.lopez@district.org), in any case. What follows an @ and names no
member is left as text; the author is told so after posting."""

import re
from dataclasses import dataclass

# An @ that starts a mention: not inside an email address or a word.
_AT = re.compile(r"(?<![\w@])@")
_WORD = re.compile(r"[\w.\-]+")


@dataclass(frozen=True)
class Mentionable:
    user_id: int
    full_name: str
    email: str

    @property
    def handle(self):
        return self.email.split("@", 1)[0].lower()

    def names(self):
        return [n for n in (self.handle, self.full_name.strip().lower()) if n]


def find_mentions(body, members):
    """(the user ids `body` mentions, in order, and the handles that named nobody)."""
    candidates = sorted(
        ((name, member.user_id) for member in members for name in member.names()),
        key=lambda pair: -len(pair[0]),
    )
    found, unknown = [], []
    lowered = body.lower()
    for match in _AT.finditer(body):
        rest = lowered[match.end() :]
        for name, user_id in candidates:
            if rest.startswith(name) and not _continues(rest, len(name)):
                if user_id not in found:
                    found.append(user_id)
                break
        else:
            word = _WORD.match(body, match.end())
            if word and (handle := word.group().rstrip(".-")) and handle not in unknown:
                unknown.append(handle)
    return found, unknown


def _continues(rest, end):
    """True when the name is only the start of a longer word (@ana in @anabel)."""
    if end >= len(rest):
        return False
    following = rest[end]
    if following.isalnum() or following == "_":
        return True
    # A handle like maria.lopez goes on past a dot; a sentence's full stop does not.
    return following in ".-" and end + 1 < len(rest) and rest[end + 1].isalnum()

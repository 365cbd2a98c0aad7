"""What visits asks of the apps above it (see core.hooks): meetings answer where a follow-up
action no visit raised came from."""

from dataclasses import dataclass

from core.hooks import Hook


@dataclass(frozen=True)
class Origin:
    """What raised an action item that no visit did: a meeting's `title` on `date`, at `url`."""

    title: str
    date: object
    url: str


# {item id: Origin} for the items among `item_ids` that something above visits raised
# (keywords: district, item_ids).
follow_up_origins = Hook("follow_up_origins", default={})

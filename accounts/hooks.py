"""What a member's page asks of the apps above it (see core.hooks): visits answer with the
member's open action items, listed before a deactivation hands them over."""

from core.hooks import Hook

# The open action items assigned to a person in a district (keywords: district, user).
open_action_items_of = Hook("open_action_items_of", default=())

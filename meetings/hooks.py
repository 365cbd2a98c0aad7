"""What a meeting's page asks of the apps above it (see core.hooks): the public page's feedback
answers with the messages linked to the meeting."""

from core.hooks import Hook

# The messages from families linked to the meeting, for those who moderate them (keyword:
# meeting): each with `label`, `url`, `status` (its display) and `received` (a datetime).
meeting_feedback = Hook("meeting_feedback", default=())

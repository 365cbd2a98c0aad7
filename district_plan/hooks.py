"""What the plan asks of the apps above it (see core.hooks): theories answer for the theories
of action under the plan, Discovery for the findings the plan has not answered yet."""

from core.hooks import Hook

# The district's theories with their actions and `goal_list`, for the plan page and the adoption
# snapshot (keyword: district).
plan_theories = Hook("plan_theories", default=())

# The district's actions (status and due date), for the plan's data freshness (keyword: district).
plan_actions = Hook("plan_actions", default=())

# Event querysets of what hangs under the plan in other apps, for the plan's history (keywords:
# plan, goal_ids, area_ids: the ids of its goals and focus areas, deleted ones included).
plan_history_events = Hook("plan_history_events", default=())

# Annotations that `plans_for_district` adds to every plan, computed in the same query.
plan_annotations = Hook("plan_annotations", default={})

# Broken links an app sees in the plan (keyword: plan, annotated as above); each issue is a
# (what, which, anchor, page) tuple like district_plan.selectors.coherence's.
plan_coherence_issues = Hook("plan_coherence_issues", default=())

# The district's adopted theories with their strand, in the order the public page shows them
# (keyword: district).
adopted_theories = Hook("adopted_theories", default=())

"""What the plan asks of the apps above it (see core.hooks): theories answer for the theories
of action under the plan, Discovery for the findings the plan has not answered yet."""

from core.hooks import Hook

# The district's theories with their strand and `measure_list`, for the adoption snapshot
# (keyword: district).
plan_theories = Hook("plan_theories", default=())

# The theories serving each goal, for the plan page: {goal id: answer} with the answer's `count`
# and `named`, the first few in the theories page's order, each with its `label` and `strand_id`
# (keyword: goal_ids).
goal_theories = Hook("goal_theories", default={})

# What the coherence panel counts of the theories of action (selectors.GAP_KINDS), as
# expressions (core.selectors.count_of) that the plan selects in one query: {name: expression}
# with the goals no theory serves under "goals", the theories' own measures under "measures" and
# "measures_needing_update", and their actions under "actions" and "actions_current"; the other
# names are GAP_KINDS' with underscores (keywords: district, plan (or None), own, current, today;
# `own`: only the theories serving the plan's goals and, when `current`, those serving none;
# else every theory of the district).
plan_gap_counts = Hook("plan_gap_counts", default={})

# The same gaps of one kind listed, as (what, which, anchor, page) tuples (the keywords above
# and kind).
plan_theory_gap_list = Hook("plan_theory_gap_list", default=())

# The district's actions (status and due date), for the plan's data freshness (keyword: district).
plan_actions = Hook("plan_actions", default=())

# Event querysets of what hangs under the plan in other apps, for the plan's history (keywords:
# plan, goal_ids, area_ids: the ids of its goals and focus areas, deleted ones included).
plan_history_events = Hook("plan_history_events", default=())

# Annotations that `plans_for_district` adds to every plan, computed in the same query.
plan_annotations = Hook("plan_annotations", default={})

# Broken links an app sees in the plan (keyword: plan, annotated as above); each issue is a
# (what, which, anchor, page) tuple like those of district_plan.selectors.gap_list; the coherence
# panel shows them as they are, each already a count.
plan_coherence_issues = Hook("plan_coherence_issues", default=())

# The district's adopted theories with their strand, in the order the public page shows them
# (keyword: district).
adopted_theories = Hook("adopted_theories", default=())

# Annotations the apps above add to each goal of the plan page, computed in the goals' own query
# so the page's query count stays the same: {name: expression} (no keywords). The public page's
# feedback answers with `feedback_received` and `feedback_waiting` (messages waiting for an
# answer), which the plan page shows under each goal that has any.
goal_annotations = Hook("goal_annotations", default={})

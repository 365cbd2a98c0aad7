"""What a theory of action asks of the apps above it (see core.hooks): visits answer with the
implementation evidence, what observers saw of each theory's expected practice."""

from core.hooks import Hook

# {theory id: {"seen", "observations", "campuses", "percent"}} (keywords: district, theory_ids,
# None for all of the district's theories).
implementation_evidence = Hook("implementation_evidence", default={})

# What the theory's page lists of the evidence, look-for by look-for (keyword: theory): seen and
# observed counts `by_campus` and `by_month`, and its `look_fors` with their own counts.
theory_evidence_detail = Hook(
    "theory_evidence_detail", default={"by_campus": (), "by_month": (), "look_fors": ()}
)

# The professional learning delivered for the theory, for its page (keywords: district, theory): offerings
# with `dates` (their sessions), `total` (people who took part) and a `url`.
theory_learning = Hook("theory_learning", default=())

# The professional learning for many theories at once, to judge their IF (theories.chain):
# {theory id: {"offerings": how many serve it, "session_dates": their sessions' dates}}
# (keywords: district, theory_ids).
learning_delivered = Hook("learning_delivered", default={})

# What visits saw of many theories' THEN at once (theories.chain): {theory id: {"look_fors": how
# many are tied to it, "days": {visit date: (observations that ticked one, observations where one
# was listed)} from `since` to `today`, "latest": the newest such observation's visit date}}
# (keywords: district, theory_ids, since, today).
then_observations = Hook("then_observations", default={})

# A number that grows with every observation the district logs (keyword: district), for the
# theory page's kept panels (core.fragments): an observation is never changed once logged, so
# it is not in the history whose marker moves those panels' key.
observations_marker = Hook("observations_marker", default=0)

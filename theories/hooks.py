"""What a theory of action asks of the apps above it (see core.hooks): visits answer with the
implementation evidence, what observers saw of each theory's expected practice."""

from core.hooks import Hook

# {theory id: {"seen", "observations", "campuses", "percent"}} (keywords: district, theory_ids,
# None for all of the district's theories).
implementation_evidence = Hook("implementation_evidence", default={})

# What the theory's page lists of the evidence, look-for by look-for (keyword: theory).
theory_evidence_detail = Hook("theory_evidence_detail", default={"by_campus": (), "by_month": ()})

# The professional learning delivered for the theory, for its page (keywords: district, theory): offerings
# with `dates` (their sessions), `total` (people who took part) and a `url`.
theory_learning = Hook("theory_learning", default=())

"""The paste-import parser against the shapes real theory-of-action documents take."""

from theories.paste_import import parse_theories


def clauses(result):
    return [
        (s.strand, *(s.clauses()[k] for k in ("if_clause", "then_clause", "so_that")))
        for s in result.statements
    ]


def test_strand_headings_with_dash_separators():
    result = parse_theories(
        "Family Partnership\n-\nIF we hold evening sessions in three languages, THEN more "
        "families will attend.\n-\nIF we text families weekly, THEN attendance will rise.\n"
        "Data Use\n-\nIF teams meet every two weeks on data, THEN plans will change sooner.\n"
    )
    assert clauses(result) == [
        (
            "Family Partnership",
            "we hold evening sessions in three languages",
            "more families will attend.",
            "",
        ),
        ("Family Partnership", "we text families weekly", "attendance will rise.", ""),
        ("Data Use", "teams meet every two weeks on data", "plans will change sooner.", ""),
    ]
    assert result.unparsed == []


def test_bullets_and_numbering():
    result = parse_theories(
        "Coaching\n• If principals observe weekly, then feedback will be timely.\n"
        "2) IF coaches model lessons, THEN teachers will try new routines.\n"
        "b. If we protect planning time, then teams will plan together.\n"
    )
    assert [s.clauses()["if_clause"] for s in result.statements] == [
        "principals observe weekly",
        "coaches model lessons",
        "we protect planning time",
    ]


def test_statement_broken_over_several_lines():
    result = parse_theories(
        "IF we give every campus a data coach\nwho meets with grade-level teams,\n"
        "THEN teams will adjust instruction\nwithin two weeks of each assessment.\n"
    )
    [statement] = result.statements
    assert statement.clauses() == {
        "if_clause": "we give every campus a data coach who meets with grade-level teams",
        "then_clause": "teams will adjust instruction within two weeks of each assessment.",
        "so_that": "",
        "problem": "",
    }


def test_if_we_believe_and_when_we():
    result = parse_theories(
        "If we believe that every adult owns student learning, then we will share data openly.\n"
        "When we align the curriculum across grades, then students will meet fewer gaps.\n"
    )
    assert [s.clauses()["if_clause"] for s in result.statements] == [
        "we believe that every adult owns student learning",
        "we align the curriculum across grades",
    ]


def test_semicolon_before_then_and_lowercase_keywords():
    result = parse_theories("if leaders visit classrooms; then expectations will be clear\n")
    assert result.statements[0].clauses()["then_clause"] == "expectations will be clear"


def test_inline_so_that_and_which_leads_to():
    result = parse_theories(
        "IF we coach teachers, THEN lessons will be more rigorous, SO THAT students read on grade level.\n"
        "IF we track attendance daily, THEN we will act sooner, which leads to fewer absences.\n"
    )
    assert [s.clauses()["so_that"] for s in result.statements] == [
        "students read on grade level.",
        "fewer absences.",
    ]


def test_if_block_answered_by_then_block_and_so_that_block():
    result = parse_theories(
        "Instruction\nIf we:\n- Train teachers in small-group reading\n- Give coaches time in classrooms\n"
        "Then we will see:\n- Small groups in every K-2 classroom\nSo that:\n- More students read by grade 3\n"
    )
    [statement] = result.statements
    assert statement.strand == "Instruction"
    assert statement.clauses() == {
        "if_clause": "Train teachers in small-group reading; Give coaches time in classrooms",
        "then_clause": "Small groups in every K-2 classroom",
        "so_that": "More students read by grade 3",
        "problem": "",
    }


def test_stray_bullets_under_a_theory_are_offered_as_its_actions_for_review():
    result = parse_theories(
        "Leadership\nIF principals co-plan with teachers, THEN plans will be stronger.\n"
        "- design plan\n- check in with HR\n"
    )
    [statement] = result.statements
    assert statement.actions == ["design plan", "check in with HR"]
    assert statement.review == ["Lines under this theory were read as its next steps (actions)."]
    assert result.unparsed == []


def test_a_stray_sentence_keeps_its_strand_and_is_counted():
    result = parse_theories(
        "Leadership\nIF principals co-plan with teachers, THEN plans will be stronger.\n"
        "This was discussed at length in the spring retreat.\n"
    )
    [unread] = result.unparsed
    assert (unread.line, unread.strand) == (3, "Leadership")
    assert result.unread_line_count == 1


def test_if_without_then_is_reported_with_the_reason():
    result = parse_theories("IF we buy new laptops for every student.\n")
    assert result.statements == []
    assert result.unparsed[0].reason == "An IF statement needs a THEN part."


def test_statements_before_any_heading_go_to_the_default_strand():
    result = parse_theories("IF we do this, THEN that will happen.", default_strand="Imported")
    assert result.statements[0].strand == "Imported"


def test_heading_with_colon_and_markdown_heading():
    result = parse_theories(
        "Strand one: Expectations:\nIF we publish look-fors, THEN walkthroughs will be consistent.\n"
        "## Parents and community\nIF we meet families where they are, THEN trust will grow.\n"
    )
    assert result.strands == ["Strand one: Expectations", "Parents and community"]


def test_windows_line_endings_blank_lines_and_unicode():
    result = parse_theories(
        "Bienestar\r\n\r\n  IF we offer counseling in Spanish — weekly, THEN families will ask for help sooner.  \r\n"
    )
    assert result.statements[0].strand == "Bienestar"
    assert result.statements[0].clauses()["if_clause"] == "we offer counseling in Spanish — weekly"


def test_then_in_the_middle_of_a_sentence_is_not_a_split_point():
    result = parse_theories("IF we plan first and then teach, THEN lessons will flow.\n")
    assert result.statements[0].clauses() == {
        "if_clause": "we plan first and then teach",
        "then_clause": "lessons will flow.",
        "so_that": "",
        "problem": "",
    }


def test_markup_is_kept_as_text():
    result = parse_theories("IF <b>we</b> act, THEN <script>x</script> happens.\n")
    assert result.statements[0].clauses()["if_clause"] == "<b>we</b> act"


def test_empty_text():
    result = parse_theories("   \n\n")
    assert result.statements == []
    assert result.unparsed == []

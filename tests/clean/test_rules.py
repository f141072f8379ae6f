"""One small test per rule family of the plain-text remover, and the metadata detectors."""
from __future__ import annotations

from datetime import datetime

import pytest

from tasks.clean import (
    CleanConfig,
    CleanState,
    clean_batch,
    parse_date,
    site_from_text,
    site_from_uri,
)
from tasks.clean.metadata import find_dateline, find_title
from tasks.clean.text import (
    apply_rules,
    is_tag_line,
    is_timestamp,
    split_lines,
    strip_boilerplate,
)
from tasks.records import Document

CFG = CleanConfig(use_line_model=False)
BODY = [
    "The minister said on Tuesday that the two countries would continue their cooperation despite the sanctions.",
    "Officials from both sides met in the capital for talks that lasted most of the day, according to reporters.",
    "The agreement, signed last year, covers the delivery of four batteries and the training of their crews.",
]


def reasons(text: str, config: CleanConfig = CFG) -> dict[str, str | None]:
    return {x.text: x.reason for x in strip_boilerplate(text, config=config).lines}


def page(*extra_before: str, after: tuple[str, ...] = ()) -> str:
    return "\n\n".join([*extra_before, *BODY, *after])


@pytest.mark.parametrize("caption", [
    "Foreign ministers hold a joint press conference in Ankara on February 10, 2020 [Cem Özdel/Anadolu Agency]",
    "Turkey had wanted to buy US air-defence technology (Photo: nato.int)",
    "File:S-400 Triumf.jpg",
    "Click to see full-size image",
    "Photo: Jane Doe for the Daily Planet",
])
def test_captions_are_removed(caption):
    assert reasons(page(caption))[caption] == "caption"


@pytest.mark.parametrize("promo", [
    "Support Acme Post", "Follow Daily Planet on Google", "Exit mobile version", "Join Northern Herald today",
    "Get instant access to all articles. 14-day free trial.", "Subscribe to our newsletter",
])
def test_promo_and_paywall_phrases_are_removed(promo):
    assert reasons(page(after=(promo,)))[promo] in {"promo", "paywall", "heading"}


def test_a_long_sentence_about_subscriptions_is_body():
    line = ("The company said the number of people who subscribe to its streaming service rose by a third in the "
            "year, well ahead of what analysts had expected.")
    assert reasons(page(line))[line] is None


def test_teaser_block_and_link_list_at_the_end_are_removed():
    tail = (
        "Farmers urge boycott of imported grain",
        "Farmers' unions called on Monday for a boycott of imported grain over what they called unfair subsidies.",
        "Court rules on pipeline permit",
        "A federal court has ruled that the permit for the northern pipeline was issued without a proper review",
        "Latest News",
        "1. Vaccination targets set for summer",
        "2. Parliament presses for inquiry",
        "3. Pipeline halted over arrest",
    )
    r = reasons(page(after=tail))
    assert all(r[x] in {"teaser", "related_link", "heading"} for x in tail)
    assert all(r[x] is None for x in BODY)


def test_a_last_section_with_several_paragraphs_is_not_a_teaser():
    last = ("It said 135 soldiers and a number of military trainers were also in the region, the ministry said.",
            "The ministry also accused the other side of killing civilians in violation of the truce, without proof.")
    r = reasons(page(after=("Turkey in Azerbaijan", *last, "Read more")))
    assert r[last[0]] is None and r[last[1]] is None


@pytest.mark.parametrize("line", ["23:25 GMT29 November 2020", "Thursday", "21st Jan 2021", "11/20/2019 01:14 PM"])
def test_bare_timestamps(line):
    assert is_timestamp(line)
    assert reasons(page(line))[line] == "timestamp"


def test_a_sentence_with_a_date_is_not_a_timestamp():
    assert not is_timestamp("The talks were held on 29 December 2020 in Sochi.")


def test_tag_lines():
    tags = "Sergei Lavrov, Mevlut Cavusoglu, S-400 deal, disagreements, S-400, Syria, Idlib"
    assert is_tag_line(tags, min_items=4)
    assert reasons(page(after=(tags,)))[tags] == "tags"
    assert not is_tag_line("He met Lavrov, Cavusoglu, Erdogan and Putin, who all agreed.", min_items=4)


def test_captions_repeated_within_a_page_go_and_a_repeated_headline_too():
    head = "Turkey And U.S. Create Working Group For Missile Purchase"
    text = "\n\n".join([head, "Support Acme", head.replace("U.S.", "U.S."), *BODY])
    doc = Document("d", "/x/d.txt", text)
    clean_batch([doc], CFG, CleanState())
    assert doc.title == head
    assert head not in doc.clean_text
    assert {r.reason for r in doc.removed_lines if r.text == head} <= {"title", "repeated"}


def test_short_lines_without_sentence_punctuation_are_headings():
    r = reasons(page("Home World Region", after=("Related: Erdogan threatens to shut down two US bases",)))
    assert r["Home World Region"] == "heading"


def test_site_templates_are_learned_across_documents():
    footer = "The Acme Post is an independent newspaper founded in 1901 by readers, for readers."
    docs = [Document(f"d{i}", f"https://www.acme.example/a/{i}",
                     "\n\n".join([f"Story number {i} about the talks between the two ministers in the capital today",
                                  f"In story {i}, " + BODY[i % 3], f"Later in story {i}, " + BODY[(i + 1) % 3],
                                  footer]))
            for i in range(4)]
    state = CleanState()
    rows = clean_batch(docs, CFG, state)
    assert all(footer not in d.clean_text for d in docs)
    assert all(d.site == "acme.example" for d in docs)
    assert {r["site"] for r in rows["site_docs"]} == {"acme.example"}
    assert max(r["num_docs"] for r in rows["site_lines"]) == 4
    # the state round-trips through its rows
    again = CleanState.from_rows(rows)
    assert again.counts_for("acme.example")[1] == 4


def test_a_site_with_one_document_keeps_its_lines():
    doc = Document("d", "https://acme.example/a", page())
    clean_batch([doc], CFG, CleanState())
    assert doc.clean_text == "\n".join(BODY)


def test_dateline_parsing():
    assert parse_date("February 17, 2020 at 3:45 pm") == datetime(2020, 2, 17, 15, 45)
    assert parse_date("Published 3 May 2019, 09:10") == datetime(2019, 5, 3, 9, 10)
    assert parse_date("2020-02-17T08:05:00Z") == datetime(2020, 2, 17, 8, 5)
    assert parse_date("no date here") is None


def test_dateline_under_the_headline_is_the_publication_date():
    text = page("Minister says row will not affect missile deal", "February 17, 2020 at 3:45 pm")
    doc = Document("d", "/x/d.txt", text)
    clean_batch([doc], CFG, CleanState())
    assert doc.title == "Minister says row will not affect missile deal"
    assert doc.published_at == datetime(2020, 2, 17, 15, 45)
    assert {"title", "dateline"} <= {r.reason for r in doc.removed_lines}


def test_a_page_clock_is_not_a_publication_date():
    for text in (page("23:25 GMT29 November 2020", "Listen Live"),
                 page("Thursday", "21st Jan 2021", "Turkey and Russia confirm arms deal, in Nato headache")):
        doc = Document("d", "/x/d.txt", text)
        clean_batch([doc], CFG, CleanState())
        assert doc.published_at is None


def test_reader_metadata_takes_precedence_but_the_headline_still_leaves_the_body():
    doc = Document("d", "/x/d.txt", page("Minister says row will not affect missile deal"), title="From JSON",
                   published_at=datetime(2021, 1, 1))
    clean_batch([doc], CFG, CleanState())
    assert doc.title == "From JSON" and doc.published_at == datetime(2021, 1, 1)
    assert "Minister says row" not in doc.clean_text


def test_no_headline_gives_no_title():
    lines = apply_rules(page("Listen Live", "Get short URL"), config=CFG)
    assert find_title(lines, CFG) is None
    assert find_dateline(lines, None, CFG) is None


@pytest.mark.parametrize("lines,site", [
    (["Support SouthFront"], "SouthFront"),
    (["MUNICH (Sputnik) - The talks were held on Saturday."], "Sputnik"),
    (["Follow EurAsian Times on Google"], "EurAsian Times"),
    (["Join EUobserver", "Support quality EU news", "Join us"], "EUobserver"),
    (["Support quality journalism"], None),
])
def test_site_from_self_references(lines, site):
    assert site_from_text(split_lines("\n".join(lines))) == site


def test_site_from_url_wins():
    assert site_from_uri("https://www.example.com/news/1") == "example.com"
    assert site_from_uri("/data/sample/000.txt") is None
    doc = Document("d", "https://www.example.com/a", page(after=("Support SouthFront",)))
    clean_batch([doc], CFG, CleanState())
    assert doc.site == "example.com"


def test_no_body_is_rejected_and_raw_text_kept():
    doc = Document("d", "/x/d.txt", "Home\nNews\nSport\nSubscribe")
    clean_batch([doc], CFG, CleanState())
    assert doc.status == "rejected" and doc.status_reason == "no_body"
    assert doc.raw_text.startswith("Home")


def test_rejected_documents_are_skipped():
    doc = Document("d", "/x/d.txt", page()).reject("too_big")
    clean_batch([doc], CFG, CleanState())
    assert doc.clean_text is None and doc.status_reason == "too_big"


def test_html_documents_go_through_trafilatura():
    html = ("<html><head><title>Talks end in Sochi</title><meta name='author' content='Jane Doe'></head><body>"
            "<nav><a href='/'>Home</a> <a href='/w'>World</a></nav><article><h1>Talks end in Sochi</h1>"
            + "".join(f"<p>{b}</p>" for b in BODY) + "</article><footer>Copyright 2020 Acme</footer></body></html>")
    doc = Document("d", "https://acme.example/a", html, content_type="html")
    clean_batch([doc], CFG, CleanState())
    assert doc.is_ok and BODY[0] in doc.clean_text and "Home" not in doc.clean_text
    assert doc.title == "Talks end in Sochi"
    removed = {(r.text, r.reason) for r in doc.removed_lines}
    assert {("Home World", "navigation"), ("Copyright 2020 Acme", "footer")} <= removed
    assert all(r.line_no is None for r in doc.removed_lines)
    assert not any(b in r.text for r in doc.removed_lines for b in BODY)


def test_html_visible_lines_name_their_element():
    from tasks.clean.html_lines import visible_lines

    html = ("<html><head><title>T</title><script>var x = 1;</script></head><body>"
            "<div class='site-menu'><a href='/a'>Sport</a></div><div style='display:none'>hidden</div>"
            "<figure><img src='x.jpg'><figcaption>The minister in Ankara</figcaption></figure>"
            "<p>First <b>bold</b> paragraph<br>second line</p><ul class='share-buttons'><li>Tweet</li></ul>"
            "<aside>Most read</aside><div id='comments'>Nice article!</div><p>Plain</p></body></html>")
    got = [(x.text, x.reason) for x in visible_lines(html)]
    assert got == [("Sport", "navigation"), ("The minister in Ankara", "caption"),
                   ("First bold paragraph", "html_boilerplate"), ("second line", "html_boilerplate"),
                   ("Tweet", "share"), ("Most read", "sidebar"), ("Nice article!", "comments"),
                   ("Plain", "html_boilerplate")]


def test_a_verbless_phrase_of_names_is_a_caption_but_a_short_sentence_is_not():
    from tasks.clean.text import is_name_caption

    assert is_name_caption("Russian President Vladimir Putin and his counterpart Recep Tayyip Erdogan.")
    assert not is_name_caption("Cavusoglu made the comments on Saturday following his meeting with Sergei Lavrov.")
    assert not is_name_caption("We rate the statement Mostly True.")
    assert not is_name_caption("Turkish President Recep Tayyip Erdogan said: No.")


def test_a_reader_title_printed_as_a_long_line_leaves_the_body():
    title = "A very long headline that the reader took from the JSON metadata of the article and that runs on and on"
    doc = Document("d", "/x/d.txt", page(title), title=title)
    clean_batch([doc], CFG, CleanState())
    assert title not in doc.clean_text and doc.title == title


WIRE = "\n".join([
    "SWIMMING - RIVERA BREAKS NATIONAL RECORD IN GENEVA.",
    "Anna Keller",
    "GENEVA, Switzerland 2003-05-17",
    "Spain's Lucia Rivera broke the national 200 metres freestyle record at the Geneva meeting on Saturday,",
    "finishing ahead of the Dutch champion in a time that surprised her coach.",
    "Leading results:",
    "1. Lucia Rivera (Spain) 1:58.21",
    "2. Marit de Vries (Netherlands) 1:58.90",
    "3. Chiara Bassi (Italy) 1:59.47",
    "Men's 100 metres backstroke",
    "1. Tomas Novak (Czech Republic) 54.12",
    "2. Peter Lund (Denmark) 54.30",
])


def test_wire_copy_keeps_dateline_tables_and_joins_broken_lines_and_its_headline_is_the_title():
    doc = Document("w", "https://wire.example/1", WIRE)
    clean_batch([doc], CFG, CleanState())
    body = doc.clean_text.split("\n")
    assert doc.title == "SWIMMING - RIVERA BREAKS NATIONAL RECORD IN GENEVA."
    assert doc.title not in body and body[0] == "GENEVA, Switzerland 2003-05-17"  # clean_text is the body only
    assert doc.published_at == datetime(2003, 5, 17)
    assert doc.notes["dateline"] == {"line_no": 3, "place": "GENEVA, Switzerland"}
    assert doc.author == "Anna Keller" and [(r.line_no, r.reason) for r in doc.removed_lines] == [(1, "title"), (2, "byline")]
    assert any(x.startswith("Spain's Lucia Rivera") and x.endswith("surprised her coach.") for x in body)  # joined
    assert "2. Peter Lund (Denmark) 54.30" in body and "Men's 100 metres backstroke" in body


def test_wire_headline_can_stay_in_the_body_as_sent():
    doc = Document("w", "https://wire.example/1", WIRE)
    clean_batch([doc], CleanConfig(use_line_model=False, wire_headline_in_body=True), CleanState())
    body = doc.clean_text.split("\n")
    assert body[0] == doc.title and body[1] == "GENEVA, Switzerland 2003-05-17"
    assert "title" not in {r.reason for r in doc.removed_lines}


def test_a_table_away_from_the_body_is_removed_as_table():
    ticker = ["Markets", "DAX 15,234.1 +0.4%", "FTSE 7,012.3 -0.2%", "CAC 6,101.9 +0.1%", "Dow 34,500.2 +0.3%"]
    text = "\n\n".join([*ticker, "Home World Region", "About us", "Contact", "Jobs", "Newsletters", "Podcasts",
                         "Events", "Shop", *BODY])
    r = reasons(text)
    assert all(r[x] == "table" for x in ticker[1:]) and all(r[x] is None for x in BODY)


def test_one_sentence_items_are_not_rejected():
    for text in ("Arab League envoys undertook a mediation mission between the two governments.",
                 "Some 8,000 refugees crossed the border last month."):
        doc = Document("s", "/x/s.txt", text)
        clean_batch([doc], CleanConfig(), CleanState())
        assert doc.is_ok and doc.clean_text == text


def test_site_and_title_lose_their_navigation():
    from tasks.clean.names import clean_site, clean_title

    assert clean_site("Acme News | The region's popular news platform", "https://www.acmenews.example/a") == "Acme News"
    assert clean_site("Racing | F1 | Indy | Rally", "https://www.racing.com.br/x") == "Racing"
    assert clean_title("Acme News | The region's popular news platform: BREAKING: Talks end",
                       "Acme News | The region's popular news platform", "Acme News") == "BREAKING: Talks end"
    assert clean_title("Talks end in Sochi - Acme News", "Acme News") == "Talks end in Sochi"
    assert clean_title("Talks end in Sochi | acmenews.com", uri="https://acmenews.com/a") == "Talks end in Sochi"
    # a headline that starts with the outlet's name, or a colon inside the headline, stays
    assert clean_title("Acme News view on the talks: a city waits", "Acme News") == "Acme News view on the talks: a city waits"
    assert clean_title("Hong Kong chaos: troops deployed", "Acme News") == "Hong Kong chaos: troops deployed"

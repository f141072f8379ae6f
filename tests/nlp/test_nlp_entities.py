import spacy
from hypothesis import given
from hypothesis import strategies as st

from tasks.nlp import NlpConfig, NlpState, ParsedDoc, link_batch
from tasks.nlp.entities import DocMention, Lexicon, clean_name, doubt_lone_persons, entity_id, fold, link_within_document
from tasks.nlp.model import add_pattern_layer
from tasks.nlp.parse import split_chunks

CONFIG = NlpConfig()
LEX = Lexicon.from_config(CONFIG)


def mention(text, label, start=0):
    return DocMention(start, start + len(text), text, label, clean_name(text, label, LEX))


def test_titles_possessives_and_articles_are_stripped():
    assert clean_name("Foreign Minister Mevlut Cavusoglu", "PERSON", LEX) == "Mevlut Cavusoglu"
    assert clean_name("President Vladimir Putin", "PERSON", LEX) == "Vladimir Putin"
    assert clean_name("Turkey’s", "GPE", LEX) == "Turkey"
    assert clean_name("the United States", "GPE", LEX) == "United States"


def test_country_forms_unify_through_the_pattern_layer():
    nlp = add_pattern_layer(spacy.blank("en"), CONFIG)
    doc = nlp("The US, the U.S. and the USA backed NATO and the EU; Nato agreed. Russia sold S-400s.")
    got = {(e.text, e.label_, e.ent_id_) for e in doc.ents}
    assert {("US", "GPE", "United States"), ("U.S.", "GPE", "United States"), ("USA", "GPE", "United States")} <= got
    assert ("Nato", "ORG", "NATO") in got and ("EU", "ORG", "European Union") in got
    assert ("S-400s", "PRODUCT", "S-400") in got
    assert LEX.canonical("United States") == ("United States", "GPE")
    assert LEX.canonical("Turkish Republic") == ("Turkey", "GPE")


def test_surname_links_to_the_full_name_in_the_document():
    ms = [mention("Mevlut Cavusoglu", "PERSON"), mention("Cavusoglu", "ORG", 40), mention("Lavrov", "PERSON", 60)]
    link_within_document(ms, LEX)
    assert [m.canon for m in ms] == ["Mevlut Cavusoglu", "Mevlut Cavusoglu", "Lavrov"]
    assert ms[1].canon_label == "PERSON"


def test_a_name_written_family_name_first_links_by_its_first_word():
    ms = [mention("Wang Donghai", "PERSON"), mention("Wang", "PERSON", 30), mention("Hillary Clinton", "PERSON", 50),
          mention("Hillary", "PERSON", 70), mention("Croft 8-0", "PERSON", 90), mention("Croft", "PERSON", 110),
          mention("Yahoo Search", "PERSON", 130), mention("Yahoo", "ORG", 150)]
    link_within_document(ms, LEX)
    assert (ms[1].canon, ms[1].canon_label) == ("Wang Donghai", "PERSON")
    assert ms[7].canon == "Yahoo"  # an organisation is no family name
    assert ms[3].canon == "Hillary"  # a known first name is not a family name
    assert ms[5].canon == "Croft"  # "Croft 8-0" is no written name


def test_across_documents_accents_fold_surnames_link_and_labels_go_by_votes():
    d1 = ParsedDoc("a", None, None, mentions=[mention("Mevlut Cavusoglu", "PERSON"), mention("Sergei Lavrov", "PERSON", 30)])
    d2 = ParsedDoc("b", None, None, mentions=[mention("Mevlüt Çavuşoğlu", "PERSON"), mention("Lavrov", "ORG", 30)])
    d3 = ParsedDoc("c", None, None, mentions=[mention("Çavuşoğlu", "WORK_OF_ART"), mention("Lavrov", "PERSON", 30)])
    for m in d2.mentions + d3.mentions + d1.mentions:
        m.canon = m.name
    rows = link_batch([d1, d2, d3], state=NlpState.from_rows({}))
    ids = {}
    for m in rows["mentions"]:
        ids.setdefault(fold(m["text"]).split()[-1], set()).add(m["entity_id"])
    assert all(len(v) == 1 for v in ids.values()), ids
    names = {e["entity_id"]: (e["name"], e["label"]) for e in rows["entities"]}
    assert names[entity_id("Mevlut Cavusoglu")] == ("Mevlüt Çavuşoğlu", "PERSON")  # accented form kept
    assert names[entity_id("Sergei Lavrov")] == ("Sergei Lavrov", "PERSON")
    aliases = {r["alias"] for r in rows["entity_aliases"] if r["entity_id"] == entity_id("Sergei Lavrov")}
    assert {"Sergei Lavrov", "Lavrov"} <= aliases


@given(st.text(max_size=40))
def test_fold_is_idempotent_and_ids_ignore_case_and_accents(s):
    assert fold(fold(s)) == fold(s)
    assert entity_id(s.upper()) == entity_id(s.lower()) or fold(s.upper()) != fold(s.lower())


@given(st.lists(st.text(alphabet="ab .\n", min_size=0, max_size=30), max_size=8), st.integers(5, 40))
def test_chunks_cover_the_text_with_exact_offsets(paras, max_chars):
    text = "\n".join(paras)
    chunks = split_chunks(text, max_chars)
    assert "".join(c for _, c in chunks) == text
    assert all(text[o:o + len(c)] == c and len(c) <= max_chars for o, c in chunks)


def _mentions_of(text, *spans):
    """Mentions of `text` at the first occurrence of each (words, label), linked as MentionIndex does."""
    ms = []
    for words, label in spans:
        at = text.index(words)
        ms.append(mention(words, label, at))
    link_within_document(ms, LEX)
    doubt_lone_persons(ms, LEX, text)
    return {m.text: m for m in ms}


def test_a_lone_word_that_names_no_person_of_the_story_is_not_a_person():
    text = ("Wayne Rooney scored twice as Everton lost in Glasgow. Rooney said Mr Keane, Iraqi officials, the Welsh "
            "and Steven agreed.")
    ms = _mentions_of(text, ("Wayne Rooney", "PERSON"), ("Everton", "PERSON"), ("Glasgow", "PERSON"), ("Rooney", "PERSON"),
                      ("Mr Keane", "PERSON"), ("Iraqi", "PERSON"), ("Welsh", "PERSON"), ("Steven", "PERSON"))
    label = {t: m.canon_label or m.label for t, m in ms.items()}
    assert label["Rooney"] == "PERSON" and not ms["Rooney"].lone_word  # a word of a person named in full
    assert label["Everton"] == "ORG" and ms["Everton"].lone_word  # the commonest kind of such a word
    assert label["Glasgow"] == "GPE"  # after "in"
    assert label["Iraqi"] == label["Welsh"] == "NORP"  # demonyms
    assert label["Mr Keane"] == "PERSON" and label["Steven"] == "PERSON"  # a title before it; a known first name


def test_a_lone_word_takes_the_label_the_story_gives_the_same_name():
    text = "Yukos said on Monday that Yukos would appeal. Shares in Yukos fell."
    ms = [mention("Yukos", "PERSON", 0), mention("Yukos", "ORG", 26), mention("Yukos", "ORG", 56)]
    for m in ms:
        m.canon = m.name
    doubt_lone_persons(ms, LEX, text)
    assert (ms[0].canon_label, ms[0].lone_word) == ("ORG", True)


def test_a_lone_word_is_a_person_again_when_another_document_names_that_person_in_full():
    d1 = ParsedDoc("a", None, None, mentions=[mention("Sergei Lavrov", "PERSON")])
    d2 = ParsedDoc("b", None, None, mentions=[mention("Lavrov", "PERSON"), mention("Gazprom", "PERSON", 20)])
    for d in (d1, d2):
        link_within_document(d.mentions, LEX)
        doubt_lone_persons(d.mentions, LEX, "Lavrov met the head of Gazprom.")
    assert [m.canon_label for m in d2.mentions] == ["ORG", "ORG"]
    rows = link_batch([d1, d2], state=NlpState.from_rows({}))
    got = {m["text"]: (m["entity_id"], m["label"]) for m in rows["mentions"] if m["doc_id"] == "b"}
    assert got["Lavrov"] == (entity_id("Sergei Lavrov"), "PERSON")
    assert got["Gazprom"][1] == "ORG"


def test_forms_of_a_country_are_one_entity_with_its_code():
    ms = [mention("Britain", "GPE"), mention("UK", "GPE", 20), mention("the United Kingdom", "GPE", 40),
          mention("Sri Lanka", "PERSON", 70), mention("Jordan", "PERSON", 90)]
    link_within_document(ms, LEX)
    assert [(m.canon, m.country) for m in ms[:3]] == [("United Kingdom", "GBR")] * 3
    assert (ms[3].canon, ms[3].canon_label, ms[3].country) == ("Sri Lanka", "GPE", "LKA")
    assert (ms[4].canon, ms[4].country) == ("Jordan", None)  # a one-word PERSON stays a person


def test_a_label_vote_never_makes_a_country_a_person():
    docs = [ParsedDoc(f"d{i}", None, None, mentions=[mention("Sri Lanka", "PERSON")]) for i in range(3)]
    docs.append(ParsedDoc("d9", None, None, mentions=[mention("Sri Lanka", "GPE")]))
    for d in docs:
        link_within_document(d.mentions, LEX)
    rows = link_batch(docs, state=NlpState.from_rows({}))
    (ent,) = rows["entities"]
    assert (ent["name"], ent["label"], ent["country_code"]) == ("Sri Lanka", "GPE", "LKA")
    assert {m["label"] for m in rows["mentions"]} == {"GPE"}


def test_number_like_fragment_and_title_only_names_are_junk():
    from tasks.nlp.entities import is_junk_name

    for name, label in [("300p", "PRODUCT"), ("Kent 108-3", "PERSON"), ("United through", "GPE"),
                        ("Tory Treasurer Lord", "PERSON"), ("Blair were", "PERSON"), ("1990s", "DATE")]:
        assert is_junk_name(name, label, LEX), name
    for name, label in [("S-400", "PRODUCT"), ("F-16", "PRODUCT"), ("A320", "PRODUCT"), ("Boeing 737 Max", "PRODUCT"),
                        ("Billie Jean King", "PERSON"), ("Charles de Gaulle", "PERSON"), ("Bank of England", "ORG"),
                        ("G7", "ORG"), ("Lord Smith", "PERSON")]:
        assert not is_junk_name(name, label, LEX), name


def test_party_names_are_organisations():
    assert LEX.canonical("Lib Dems") == ("Liberal Democrats", "ORG")
    assert LEX.canonical("Tories") == ("Conservative Party", "ORG")


def test_a_figure_after_a_name_in_a_results_line_is_cut_off_but_a_numbered_name_stays():
    from spacy.tokens import Doc

    from tasks.nlp.mentions import fix_entities

    words = ["Somerset", "83", ",", "P.", "Johnson", "84", ",", "Lithuania", "2", "-", "1", ",", "Kent", "108", "-", "3",
             "on", "Channel", "4", "and", "Route", "66"]
    ents = ["B-GPE", "I-GPE", "O", "B-PERSON", "I-PERSON", "I-PERSON", "O", "B-FAC", "I-FAC", "I-FAC", "I-FAC", "O",
            "B-ORG", "I-ORG", "I-ORG", "I-ORG", "O", "B-ORG", "I-ORG", "O", "B-FAC", "I-FAC"]
    doc = Doc(spacy.blank("en").vocab, words=words, ents=ents)
    fix_entities(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Somerset", "GPE"), ("P. Johnson", "PERSON"), ("Lithuania", "FAC"), ("Kent", "ORG"), ("Channel 4", "ORG"),
        ("Route 66", "FAC")]
    alone = Doc(spacy.blank("en").vocab, words=["1996", "was", "good"], ents=["B-GPE", "O", "O"])
    fix_entities(alone)
    assert list(alone.ents) == []  # nothing but the figure: no name left


def test_a_mention_spans_the_name_without_its_article_or_possessive():
    from spacy.tokens import Doc

    from tasks.nlp.mentions import fix_entities

    words = ["the", "Philadelphia", "Eagles", "beat", "Puerto", "Rico", "'s", "team", "at", "the", "Oval", "and", "The", "Hague"]
    ents = ["B-ORG", "I-ORG", "I-ORG", "O", "B-GPE", "I-GPE", "I-GPE", "O", "O", "B-FAC", "I-FAC", "O", "B-GPE", "I-GPE"]
    doc = Doc(spacy.blank("en").vocab, words=words, ents=ents)
    fix_entities(doc)
    assert [e.text for e in doc.ents] == ["Philadelphia Eagles", "Puerto Rico", "Oval", "Hague"]
    assert [clean_name(e.text, e.label_, LEX) for e in doc.ents] == [e.text for e in doc.ents]  # the name clean_name gives
